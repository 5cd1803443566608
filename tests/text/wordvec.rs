//! Word vectors (tutorial §3.1, step 2): Word2Vec and GloVe gradients
//! against finite differences, the pieces worked out by hand, the file
//! formats with their errors, and the property that matters — trained
//! vectors put related words together.

use approx::assert_abs_diff_eq;
use encdec::checks::word_vectors::{check_glove, check_negative_sampling};
use encdec::corpora::{CATEGORIES, category_of, word_vector_corpus};
use encdec::tensor::{Tensor, rng};
use encdec::text::Tokenizer;
use encdec::wordvec::*;

fn corpus() -> Vec<Vec<String>> {
    let tok = Tokenizer::new(true);
    word_vector_corpus(5000, 0)
        .iter()
        .map(|s| tok.tokenize(s))
        .collect()
}

/// The share of the `k` nearest neighbours of each word of a category that
/// belong to the same category, over all categories.
fn neighbour_precision(v: &WordVectors, k: usize) -> f64 {
    let (mut same, mut total) = (0, 0);
    for (name, words) in CATEGORIES {
        for w in words.iter() {
            for (n, _) in v.neighbours(w, k).unwrap() {
                total += 1;
                same += usize::from(category_of(&n) == Some(name));
            }
        }
    }
    same as f64 / total as f64
}

#[test]
fn negative_sampling_gradcheck() {
    // Skip-gram (one input vector) and CBOW (the mean of four context vectors).
    for seed in 0..4 {
        let r = check_negative_sampling(1, seed);
        assert!(r.ok(), "skip-gram:\n{r}");
        let r = check_negative_sampling(4, seed);
        assert!(r.ok(), "cbow:\n{r}");
    }
}

#[test]
fn glove_gradcheck() {
    for seed in 0..6 {
        let r = check_glove(seed);
        assert!(r.ok(), "{r}");
    }
}

#[test]
fn negative_sampling_loss_by_hand() {
    // h = [1, 0], u_o = [2, 0], one negative u_1 = [0, 3]:
    // L = -log sigma(2) - log sigma(-0) = -log(0.880797) - log(0.5) = 0.126928 + 0.693147
    let l = negative_sampling_loss(&[1.0, 0.0], &[2.0, 0.0], &[&[0.0, 3.0]]);
    assert_abs_diff_eq!(l, 0.126_928_011 + std::f64::consts::LN_2, epsilon = 1e-8);
    // dL/du_o = (sigma(2) - 1) h = -0.119203 h
    let g = negative_sampling_grads(&[1.0, 0.0], &[2.0, 0.0], &[&[0.0, 3.0]]);
    assert_abs_diff_eq!(g.positive[0], -0.119_202_922, epsilon = 1e-8);
    // dL/du_1 = sigma(0) h = 0.5 h; dL/dh = -0.119203 u_o + 0.5 u_1 = [-0.238406, 1.5]
    assert_eq!(g.negatives[0], vec![0.5, 0.0]);
    assert_abs_diff_eq!(g.input[0], -0.238_405_844, epsilon = 1e-8);
    assert_abs_diff_eq!(g.input[1], 1.5, epsilon = 1e-12);
}

#[test]
fn subsampling_and_noise_by_hand() {
    // f = 0.01, t = 1e-3: t/f = 0.1, sqrt(0.1) + 0.1 = 0.41623.
    assert_abs_diff_eq!(
        keep_probability(10, 1000, 1e-3),
        0.1f64.sqrt() + 0.1,
        epsilon = 1e-12
    );
    // A rare word is always kept.
    assert_eq!(keep_probability(1, 1000, 1e-3), 1.0);
    // Counts 16 and 1: 16^0.75 = 8, so P_n = 8/9 and 1/9.
    let noise = NoiseTable::new(&[16, 1]);
    assert_abs_diff_eq!(noise.probability(0), 8.0 / 9.0, epsilon = 1e-12);
    let mut r = rng(3);
    let draws = (0..9000).filter(|_| noise.sample(&mut r) == 1).count();
    assert!(
        (800..1200).contains(&draws),
        "{draws} of 9000 draws of the rare word, expected about 1000"
    );
}

#[test]
fn a_subsampling_threshold_of_zero_keeps_every_word() {
    // As in word2vec and gensim, t = 0 switches subsampling off.
    assert_eq!(keep_probability(500, 1000, 0.0), 1.0);
    assert_eq!(keep_probability(1, 1000, 0.0), 1.0);
}

#[test]
fn noise_table_draws_what_binary_search_draws() {
    // Counts of a Zipf-like vocabulary with runs of equal counts, as real text has.
    let counts: Vec<usize> = (1..=1750).map(|r| 20_000 / r + 5).collect();
    for counts in [&counts[..], &[16, 1], &[3]] {
        let noise = NoiseTable::new(counts);
        let c = noise.cumulative();
        let binary_search = |u: f64| c.partition_point(|&x| x <= u).min(c.len() - 1);
        // Every boundary, the floats on either side of it, the ends, and random draws.
        let mut us: Vec<f64> = c
            .iter()
            .flat_map(|&x| [x.next_down(), x, x.next_up()])
            .collect();
        us.extend([0.0, f64::MIN_POSITIVE, 0.5, 1.0f64.next_down()]);
        let mut r = rng(9);
        us.extend((0..20_000).map(|_| rand::RngExt::random::<f64>(&mut r)));
        for u in us {
            assert_eq!(noise.word_at(u), binary_search(u), "u = {u:e}");
        }
    }
}

/// Random input and output vectors (not zero, as after some training).
fn random_tables(v: usize, d: usize, seed: u64) -> Word2VecTables {
    let mut r = rng(seed);
    Word2VecTables {
        w: Tensor::randn(&[v * d], 0.0, 0.5, &mut r).into_data(),
        u: Tensor::randn(&[v * d], 0.0, 0.5, &mut r).into_data(),
        dim: d,
    }
}

#[test]
fn fused_step_equals_the_composed_step() {
    // (inputs, true word, negatives): skip-gram, CBOW with a word twice in
    // its context, the true word among the negatives, a negative drawn
    // twice, no negatives at all, and an input that is also the true word.
    let steps: [(&[usize], usize, &[usize]); 6] = [
        (&[0], 1, &[2, 3, 4, 5, 6]),
        (&[1, 2, 2, 5], 0, &[3, 4, 6]),
        (&[3], 4, &[4, 1, 0]),
        (&[6], 2, &[5, 5, 1]),
        (&[2, 4], 3, &[]),
        (&[5], 5, &[0, 1]),
    ];
    for (d, seed) in [(13, 0), (48, 1), (1, 2)] {
        let mut composed = random_tables(7, d, seed);
        let mut fused = composed.clone();
        let mut buffers = StepBuffers::new(d);
        // Many rounds, with a large learning rate, so that the dot products
        // take both signs and many sizes.
        for round in 0..40 {
            for (i, &(inputs, o, noise)) in steps.iter().enumerate() {
                let lr = 0.5 / (1 + round + i) as f64;
                let want = composed.step_composed(inputs, o, noise, lr);
                let got = fused.step(inputs, o, noise, lr, &mut buffers);
                let at = format!("d {d}, round {round}, step {i}");
                assert_eq!((got.to_bits(), &fused), (want.to_bits(), &composed), "{at}");
            }
        }
    }
    // Zero output vectors (as at the start of training): every dot product is 0.
    let mut composed = Word2VecTables {
        u: vec![0.0; 3 * 4],
        ..random_tables(3, 4, 3)
    };
    let mut fused = composed.clone();
    let want = composed.step_composed(&[0], 1, &[2], 0.1);
    let got = fused.step(&[0], 1, &[2], 0.1, &mut StepBuffers::new(4));
    // L = -log sigma(0) - log sigma(-0) = 2 log 2
    assert_eq!(want, 2.0 * std::f64::consts::LN_2);
    assert_eq!((got, &fused), (want, &composed));
}

#[test]
fn cooccurrence_by_hand() {
    // "a b c" with window 2: (a,b) and (b,c) at distance 1 count 1, (a,c) at distance 2 counts 1/2;
    // every pair both ways.
    let x = cooccurrences(&[vec![0, 1, 2]], 2);
    assert_eq!(
        x,
        vec![
            (0, 1, 1.0),
            (0, 2, 0.5),
            (1, 0, 1.0),
            (1, 2, 1.0),
            (2, 0, 0.5),
            (2, 1, 1.0)
        ]
    );
    // Window 1 drops the distance-2 pair.
    assert_eq!(cooccurrences(&[vec![0, 1, 2]], 1).len(), 4);
}

#[test]
fn glove_weighting_by_hand() {
    // x_max = 100, alpha = 0.75: f(25) = 0.25^0.75 = 0.35355; f(100) = f(500) = 1.
    assert_abs_diff_eq!(
        glove_weight(25.0, 100.0, 0.75),
        0.25f64.powf(0.75),
        epsilon = 1e-15
    );
    assert_eq!(glove_weight(100.0, 100.0, 0.75), 1.0);
    assert_eq!(glove_weight(500.0, 100.0, 0.75), 1.0);
    // One term: w = [1, 2], w~ = [3, 0], b = 0.5, b~ = -0.5, X = e: e = 3 - 1 = 2, J = f e^2 = 4f.
    let e1 = 1f64.exp();
    assert_abs_diff_eq!(
        glove_term(&[1.0, 2.0], &[3.0, 0.0], 0.5, -0.5, e1, 0.5),
        2.0,
        epsilon = 1e-12
    );
}

#[test]
fn cosine_and_analogy_by_hand() {
    assert_abs_diff_eq!(
        cosine(&[1.0, 0.0], &[1.0, 1.0]),
        0.5f64.sqrt(),
        epsilon = 1e-15
    );
    assert_eq!(cosine(&[0.0, 0.0], &[1.0, 1.0]), 0.0);
    // king - man + woman = [1, 1] + ... lands exactly on queen.
    let words: Vec<String> = ["king", "man", "woman", "queen", "apple"]
        .map(String::from)
        .to_vec();
    let v = Tensor::from_vec(
        vec![1.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.0, 2.0, 5.0, -1.0],
        &[5, 2],
    );
    let wv = WordVectors::new(words, v).unwrap();
    let best = wv.analogy("king", "man", "woman", 1).unwrap();
    assert_eq!(best[0].0, "queen");
    assert_abs_diff_eq!(best[0].1, 1.0, epsilon = 1e-12);
    assert!(
        wv.neighbours("zebra", 3)
            .unwrap_err()
            .contains("\"zebra\" has no vector")
    );
}

#[test]
fn pca_finds_the_direction_of_largest_spread() {
    // Points spread along (1, 1, 0) with a little noise on the other axes:
    // the first component carries almost all the variance.
    let mut r = rng(5);
    let mut data = vec![];
    for i in 0..50 {
        let t = i as f64 - 25.0;
        let n = Tensor::randn(&[3], 0.0, 0.1, &mut r);
        data.extend([t + n.data()[0], t + n.data()[1], n.data()[2]]);
    }
    let xy = pca_2d(&Tensor::from_vec(data, &[50, 3]));
    assert_eq!(xy.shape(), &[50, 2]);
    let var = |c: usize| {
        let col: Vec<f64> = xy.data().chunks(2).map(|p| p[c]).collect();
        let m = col.iter().sum::<f64>() / 50.0;
        col.iter().map(|v| (v - m).powi(2)).sum::<f64>() / 50.0
    };
    // Along (1,1)/sqrt 2 the spread is sqrt 2 * t: variance 2 * var(t) = 2 * 208.25 = 416.5.
    assert!(
        (var(0) - 416.5).abs() < 5.0,
        "first component variance {}",
        var(0)
    );
    assert!(var(1) < 0.05, "second component variance {}", var(1));
}

#[test]
fn trained_vectors_put_words_of_a_kind_together() {
    let s = corpus();
    let tokens: usize = s.iter().map(Vec::len).sum();
    assert!(tokens > 30_000, "{tokens} tokens");
    let sg = Word2VecConfig {
        dim: 30,
        epochs: 5,
        ..Default::default()
    };
    let cbow = Word2VecConfig {
        mode: Word2VecMode::Cbow,
        dim: 30,
        epochs: 5,
        lr: 0.05,
        ..Default::default()
    };
    let glove = GloveConfig {
        dim: 30,
        epochs: 25,
        x_max: 10.0,
        ..Default::default()
    };
    let (v1, l1) = train_word2vec(&s, &sg).unwrap();
    let (v2, _) = train_word2vec(&s, &cbow).unwrap();
    let (v3, l3) = train_glove(&s, &glove).unwrap();
    assert!(
        l1.last() < l1.first() && l3.last() < l3.first(),
        "the losses must fall"
    );
    // Chance would be about 9/57 = 0.16: a random neighbour of a colour is a colour that rarely.
    for (name, v) in [("skip-gram", &v1), ("cbow", &v2), ("glove", &v3)] {
        let p = neighbour_precision(v, 3);
        assert!(
            p >= 0.8,
            "{name}: only {p:.2} of the nearest neighbours share the word's kind"
        );
    }
    let reds: Vec<String> = v1
        .neighbours("red", 3)
        .unwrap()
        .into_iter()
        .map(|(w, _)| w)
        .collect();
    assert!(
        reds.iter().all(|w| CATEGORIES[0].1.contains(&w.as_str())),
        "{reds:?}"
    );
}

#[test]
fn training_is_deterministic() {
    let s: Vec<Vec<String>> = corpus().into_iter().take(300).collect();
    let c = Word2VecConfig {
        dim: 8,
        epochs: 2,
        ..Default::default()
    };
    assert_eq!(
        train_word2vec(&s, &c).unwrap(),
        train_word2vec(&s, &c).unwrap()
    );
}

#[test]
fn an_empty_corpus_is_an_error() {
    assert!(
        train_word2vec(&[], &Word2VecConfig::default())
            .unwrap_err()
            .contains("no word")
    );
    let one_word = vec![vec!["alone".to_string()]];
    assert!(
        train_glove(&one_word, &GloveConfig::default())
            .unwrap_err()
            .contains("no two words co-occur")
    );
}

fn temp(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("encdec-vectors-{}-{name}", std::process::id()))
}

#[test]
fn files_round_trip_with_and_without_header() {
    let words: Vec<String> = ["été", "chat", "<s>"].map(String::from).to_vec();
    let v = WordVectors::new(
        words,
        Tensor::from_vec(vec![0.5, -1.25, 1e-7, 3.0, 0.0, -0.1], &[3, 2]),
    )
    .unwrap();
    for layout in [VectorsLayout::Glove, VectorsLayout::Word2Vec] {
        let path = temp(&format!("rt-{layout:?}"));
        v.save(&path, layout).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.starts_with("3 2\n"), layout == VectorsLayout::Word2Vec);
        assert_eq!(WordVectors::load(&path).unwrap(), v);
        std::fs::remove_file(path).unwrap();
    }
}

fn load_error(content: &str) -> String {
    let path = temp(&format!(
        "bad-{:x}",
        content.len() * 31 + content.bytes().map(usize::from).sum::<usize>()
    ));
    std::fs::write(&path, content).unwrap();
    let e = WordVectors::load(&path).unwrap_err().to_string();
    std::fs::remove_file(path).unwrap();
    e
}

#[test]
fn malformed_files_are_errors_that_name_the_line() {
    assert!(
        load_error("a 1 2\nb 3\n").ends_with("line 2: the word \"b\" has 1 numbers, expected 2")
    );
    assert!(load_error("a 1 2\nb 3 x\n").ends_with("line 2: \"x\" is not a finite number"));
    assert!(load_error("a 1 NaN\n").ends_with("line 1: \"NaN\" is not a finite number"));
    assert!(
        load_error("3 2\na 1 2\nb 3 4\n")
            .ends_with("the header announces 3 words but the file has 2")
    );
    assert!(
        load_error("2 3\na 1 2\n").ends_with("line 2: the word \"a\" has 2 numbers, expected 3")
    );
    assert!(load_error("").ends_with("no word vectors in the file"));
    assert!(load_error("\n\n").ends_with("no word vectors in the file"));
    assert!(load_error("a 1\na 2\n").contains("the word \"a\" appears twice"));
    assert!(load_error("a\n").ends_with("line 1: the word \"a\" has no numbers"));
    let missing = WordVectors::load(std::path::Path::new("/no/such/vectors.txt"))
        .unwrap_err()
        .to_string();
    assert!(
        missing.starts_with("cannot access vectors file /no/such/vectors.txt"),
        "{missing}"
    );
}

#[test]
fn a_failed_write_of_a_vectors_file_says_write() {
    let v = WordVectors::new(vec!["a".into()], Tensor::from_vec(vec![1.0, 2.0], &[1, 2])).unwrap();
    let e = v
        .save(std::path::Path::new("/no/such/v.txt"), VectorsLayout::Glove)
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("cannot write vectors file /no/such/v.txt: "),
        "{e}"
    );
}

#[test]
fn centred_cosine_by_hand() {
    // x = (3, 2), y = (2, 3), z = (1, 1); their mean is mu = (2, 2).
    // Plain:   cos(x, y) = (6 + 6) / (sqrt 13 * sqrt 13) = 12/13 = 0.923
    //          cos(x, z) = (3 + 2) / (sqrt 13 * sqrt 2)  = 5/sqrt 26 = 0.981
    // Centred: x - mu = (1, 0), y - mu = (0, 1), z - mu = (-1, -1)
    //          cos_mu(x, y) = 0 / (1 * 1) = 0
    //          cos_mu(x, z) = -1 / (1 * sqrt 2) = -0.7071
    let data = [3.0, 2.0, 2.0, 3.0, 1.0, 1.0];
    let mu = mean_vector(&data, 2);
    assert_eq!(mu, vec![2.0, 2.0]);
    let (x, y, z) = (&data[0..2], &data[2..4], &data[4..6]);
    assert_abs_diff_eq!(cosine(x, y), 12.0 / 13.0, epsilon = 1e-12);
    assert_abs_diff_eq!(cosine(x, z), 5.0 / 26f64.sqrt(), epsilon = 1e-12);
    assert_abs_diff_eq!(centred_cosine(x, y, &mu), 0.0, epsilon = 1e-12);
    assert_abs_diff_eq!(centred_cosine(x, z, &mu), -0.5f64.sqrt(), epsilon = 1e-12);
    assert_eq!(centred_cosine(&mu, x, &mu), 0.0);
    // The plain cosine would put z nearest to x; measured from the mean, y is.
    let words = ["x", "y", "z"].map(String::from).to_vec();
    let wv = WordVectors::new(words, Tensor::from_vec(data.to_vec(), &[3, 2])).unwrap();
    let near = wv.neighbours("x", 2).unwrap();
    assert_eq!(near[0].0, "y");
    assert_abs_diff_eq!(near[0].1, 0.0, epsilon = 1e-12);
    assert_abs_diff_eq!(near[1].1, -0.5f64.sqrt(), epsilon = 1e-12);
}
