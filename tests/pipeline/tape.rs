//! `encdec tape`'s record (`src/pipeline/tape.rs`): the numbers the page
//! shows are the tape's own, and a reused weight receives one contribution
//! per use.

use encdec::pipeline::{TapeCase, TapeJob, tape, tape_record};
use serde_json::Value;

fn cases() -> [TapeCase; 3] {
    [
        TapeCase::RnnStep,
        TapeCase::Attention,
        TapeCase::Expr {
            expression: "tanh(a*b + c) * a".into(),
            set: "a=0.5,b=-1.2,c=0.3".into(),
        },
    ]
}

/// The number of `+=` the node named `name` receives.
fn contributions_into(record: &Value, name: &str) -> usize {
    let index = record["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .position(|n| n["name"] == name)
        .unwrap();
    record["steps"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["contributions"].as_array().unwrap())
        .filter(|c| c["to"] == index)
        .count()
}

#[test]
fn every_gradient_on_the_page_is_the_one_backward_stored() {
    for case in cases() {
        let record = tape_record(&case).unwrap();
        let nodes = record["nodes"].as_array().unwrap();
        assert_eq!(record["seed"], 1.0);
        assert_eq!(record["root"], nodes.len() - 1);
        for n in nodes {
            assert_eq!(n["grad"], n["stored_grad"], "{case:?}: node {}", n["index"]);
            if n["role"] == "leaf" {
                assert!(n["grad"].is_array(), "{case:?}: a leaf without a gradient");
            }
        }
    }
}

#[test]
fn a_weight_used_at_two_steps_receives_two_contributions() {
    let rnn = tape_record(&TapeCase::RnnStep).unwrap();
    for weight in ["w_xh", "w_hh", "b_h"] {
        assert_eq!(contributions_into(&rnn, weight), 2, "{weight}");
    }
    let attention = tape_record(&TapeCase::Attention).unwrap();
    assert_eq!(contributions_into(&attention, "x"), 3, "x feeds q, k and v");
    let [_, _, expr] = cases();
    assert_eq!(contributions_into(&tape_record(&expr).unwrap(), "a"), 2);
}

#[test]
fn the_page_is_written_only_to_an_html_path() {
    let dir = std::env::temp_dir().join(format!("encdec-tape-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = TapeJob {
        case: TapeCase::Attention,
        out: dir.join("tape.png"),
    };
    assert!(tape(&bad).unwrap_err().to_string().contains("--out"));
    let good = TapeJob {
        case: TapeCase::Attention,
        out: dir.join("tape.html"),
    };
    let lines = tape(&good).unwrap();
    assert!(lines[0].contains("12 nodes, 8 backward steps"), "{lines:?}");
    let page = std::fs::read_to_string(&good.out).unwrap();
    assert!(page.contains("id=\"tape-data\"") && !page.contains("<script src"));
    let _ = std::fs::remove_dir_all(&dir);
}
