//! Helpers shared by the layer tests.

use encdec::checks::layers::layer_cases;

/// Runs the named layer case of `encdec::checks::layers` for a few seeds: the
/// gradient of a weighted sum of every output must match finite differences
/// for every input and parameter, and no parameter may be left without a
/// (finite, non-zero) gradient.
pub fn layer_gradcheck(name: &str) {
    let case = layer_cases()
        .into_iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no layer case named {name}"));
    for seed in 0..3 {
        let check = (case.run)(seed);
        assert!(check.report.ok(), "{name}, seed {seed}:\n{}", check.report);
        assert!(
            check.detached.is_empty(),
            "{name}, seed {seed}: parameters without gradient: {:?}",
            check.detached
        );
        assert!(!check.report.inputs.is_empty());
    }
}
