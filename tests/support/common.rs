//! Helpers shared by the layer tests.

use encdec::checks::layers::layer_cases;
use encdec::nn::Module;
use encdec::tensor::Tensor;

/// Loads reference weights into `m`: `tensor(name)` gives each parameter's
/// value; every parameter must have one of the right shape, and each of
/// `names` (the reference's parameters) must be used.
#[allow(dead_code)] // not every test file loads fixtures
pub fn load_params<M: Module>(m: &mut M, mut names: Vec<String>, tensor: impl Fn(&str) -> Tensor) {
    for p in m.params_mut() {
        let value = tensor(&p.name);
        assert_eq!(p.value.shape(), value.shape(), "{}", p.name);
        p.value = value;
        names.retain(|n| n != &p.name);
    }
    assert!(
        names.is_empty(),
        "fixture params with no counterpart: {names:?}"
    );
}

/// Runs the named layer case of `encdec::checks::layers` for a few seeds: the
/// gradient of a weighted sum of every output must match finite differences
/// for every input and parameter, and no parameter may be left without a
/// (finite, non-zero) gradient.
#[allow(dead_code)] // not every test file runs layer cases
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
