//! Decoding as `translate` and `summarize` are asked to
//! (`src/pipeline/decode.rs`): the flags checked once, an input without
//! words left without output, and each decoding's outputs.

use crate::model_support::{fox_vocabs, tiny_config};
use encdec::corpora::FOX_EN;
use encdec::pipeline::{DecodeOptions, Decoding, decode_inputs};
use encdec::seq2seq::config::ModelKind;
use encdec::seq2seq::decode::{DecodeError, Translator, UnknownWords};
use encdec::seq2seq::models::build;
use encdec::seq2seq::task::Task;
use encdec::tensor::rng;

fn translator() -> Translator {
    let (src, tgt) = fox_vocabs();
    let config = tiny_config(ModelKind::Transformer, src.len(), tgt.len(), 1);
    Translator::new(
        build(&config, &mut rng(4)).unwrap(),
        src,
        tgt,
        Task::Translation,
    )
}

#[test]
fn the_flags_name_a_decoding_or_the_flag_that_is_wrong() {
    let flags = |edit: &dyn Fn(&mut DecodeOptions)| {
        let mut o = DecodeOptions::default();
        edit(&mut o);
        o.decoding()
    };
    assert_eq!(flags(&|_| {}), Ok(Decoding::Search { beam: 1 }));
    assert_eq!(
        flags(&|o| o.beam = Some(4)),
        Ok(Decoding::Search { beam: 4 })
    );
    assert_eq!(
        flags(&|o| (o.beam, o.n_best) = (Some(4), Some(3))),
        Ok(Decoding::NBest { beam: 4, n: 3 })
    );
    assert!(matches!(
        flags(&|o| o.sample = true),
        Ok(Decoding::Sample { seed: 0, .. })
    ));
    for (message, edit) in [
        (
            "--beam must be from 1 to 64",
            &(|o: &mut DecodeOptions| o.beam = Some(0)) as &dyn Fn(&mut DecodeOptions),
        ),
        ("--temperature shapes sampling: add --sample", &|o| {
            o.temperature = Some(0.5)
        }),
        ("--seed shapes sampling", &|o| o.seed = Some(1)),
        ("at most the beam width", &|o| {
            (o.beam, o.n_best) = (Some(2), Some(3))
        }),
        ("does not mix with --beam", &|o| {
            (o.sample, o.beam) = (true, Some(2))
        }),
        ("temperature", &|o| {
            (o.sample, o.temperature) = (true, Some(-1.0))
        }),
    ] {
        let e = flags(edit).unwrap_err();
        assert!(e.contains(message), "{message}: {e}");
    }
}

#[test]
fn each_input_gets_its_outputs_and_a_blank_one_none() {
    let t = translator();
    let inputs = [
        FOX_EN.to_string(),
        "  \u{200b} ".to_string(),
        "the lazy dog".to_string(),
    ];
    let greedy = decode_inputs(
        &t,
        &inputs,
        &Decoding::Search { beam: 1 },
        UnknownWords::Refuse,
    )
    .unwrap();
    assert_eq!(greedy.len(), 3);
    assert!(greedy[1].is_none());
    // Batched greedy decoding gives what one sentence decoded alone gives.
    let alone = t.decode_text(FOX_EN, 1, UnknownWords::Refuse).unwrap().text;
    assert_eq!(greedy[0].as_ref().unwrap(), &vec![(alone, None)]);
    let best = decode_inputs(
        &t,
        &inputs,
        &Decoding::NBest { beam: 3, n: 2 },
        UnknownWords::Refuse,
    )
    .unwrap();
    let two = best[2].as_ref().unwrap();
    assert_eq!(two.len(), 2);
    assert!(
        two[0].1.unwrap() >= two[1].1.unwrap(),
        "best first: {two:?}"
    );
    let o = DecodeOptions {
        sample: true,
        seed: Some(5),
        ..DecodeOptions::default()
    };
    let once = decode_inputs(&t, &inputs, &o.decoding().unwrap(), UnknownWords::Refuse).unwrap();
    let again = decode_inputs(&t, &inputs, &o.decoding().unwrap(), UnknownWords::Refuse).unwrap();
    assert_eq!(once, again, "the same seed writes the same samples");
}

#[test]
fn an_input_that_cannot_be_decoded_is_named_before_any_is_decoded() {
    let t = translator();
    let inputs = ["the dog".to_string(), "the zebra".to_string()];
    let e = decode_inputs(
        &t,
        &inputs,
        &Decoding::Search { beam: 1 },
        UnknownWords::Refuse,
    )
    .unwrap_err();
    assert_eq!(e.index, Some(1));
    assert_eq!(e.error, DecodeError::UnknownWords(vec!["zebra".into()]));
    let ok = decode_inputs(
        &t,
        &inputs,
        &Decoding::Search { beam: 1 },
        UnknownWords::AsUnk,
    )
    .unwrap();
    assert!(ok.iter().all(Option::is_some));
}
