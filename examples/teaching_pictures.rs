//! Writes the pictures that teach (`encdec::viz::write_teaching_pictures`):
//! the causal and padding masks, the positional encoding, and the gradient
//! norm through time of an RNN and two LSTMs. No training; under a second.
//!
//! ```sh
//! cargo run --release --example teaching_pictures             # into docs/img/, as PNG
//! cargo run --release --example teaching_pictures -- out svg  # into out/, as SVG
//! ```

use std::error::Error;
use std::path::PathBuf;

use encdec::pipeline::teaching_data;
use encdec::viz::write_teaching_pictures;

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    // The docs' pictures live next to the crate's manifest, wherever this runs from.
    let dir = args.next().map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/img"),
        PathBuf::from,
    );
    let extension = args.next().unwrap_or_else(|| "png".into());
    std::fs::create_dir_all(&dir)?;
    let data = teaching_data()?;
    for path in write_teaching_pictures(&dir, &data, &extension)? {
        println!("wrote {}", path.display());
    }
    for (name, norms) in &data.gradient_norms {
        let last = norms[norms.len() - 1];
        println!(
            "{name}: ‖∂L/∂h_t‖ relative to t = {}: t = 50 {:.1e}, t = 1 {:.1e}",
            norms.len(),
            norms[49] / last,
            norms[0] / last
        );
    }
    Ok(())
}
