//! Embeds `models/lure.model` when it exists, so a fresh checkout builds before a model has
//! been trained (`lure train` writes it).

fn main() {
    println!("cargo::rustc-check-cfg=cfg(lure_embedded_model)");
    println!("cargo::rerun-if-changed=models/lure.model");
    if std::path::Path::new("models/lure.model").exists() {
        println!("cargo::rustc-cfg=lure_embedded_model");
    }
}
