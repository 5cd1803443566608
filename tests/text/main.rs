//! The tests of `src/text`, `src/corpora` and `src/wordvec`: the tokenizer,
//! the vocabulary, corpus files, the generated corpora, word vectors.

mod corpora;
mod corpus_files;
mod dialogue;
mod subwords;
mod summaries;
mod tokenizer;
mod translation_corpus;
mod trigrams;
mod visible;
mod vocab;
mod wordvec;
