//! `lure train`: fit the classifier on DIR/train.jsonl, calibrate on DIR/dev.jsonl.

use super::args::{RuleOptions, TrainArgs};
use super::{EXIT_OK, build_detector};
use anyhow::{Context, Result};
use lure::labelled::read_labelled;

pub fn run(args: TrainArgs) -> Result<u8> {
    let started = std::time::Instant::now();
    let options = RuleOptions {
        rules: args.rules.clone(),
        no_model: true,
        ..RuleOptions::default()
    };
    let detector = build_detector(&options)?;
    let train_path = args.data.join("train.jsonl");
    let dev_path = args.data.join("dev.jsonl");
    let train = read_labelled(&train_path).context("cannot read the training split")?;
    let dev = read_labelled(&dev_path).context("cannot read the dev split")?;
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for path in [&train_path, &dev_path] {
        for &b in &std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))? {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    let train_options = lure::TrainOptions {
        alpha: args.alpha,
        max_iterations: args.iterations,
        columns: args.columns,
        rule_features: args.rule_features,
        ..lure::TrainOptions::default()
    };
    let trained = lure::train(
        &detector,
        &train,
        &dev,
        format!("{hash:016x}"),
        &train_options,
    )
    .map_err(anyhow::Error::msg)
    .context("training failed")?;
    std::fs::write(&args.out, trained.model.to_json() + "\n")
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    let info = trained.model.training();
    eprintln!(
        "lure: trained on {} ads ({} columns), calibrated on {} dev ads in {:.1} s (fit {:.1} s); wrote {}",
        info.train_ads,
        info.columns,
        info.dev_ads,
        started.elapsed().as_secs_f64(),
        trained.fit_seconds,
        args.out.display()
    );
    let c = trained.model.calibration();
    eprintln!(
        "lure: calibration: sigmoid({:+.3} {:+.3}·rules {:+.3}·model); flag threshold {:.3} (max F1 on dev)",
        c.bias,
        c.rules,
        c.model,
        trained.model.flag_threshold()
    );
    println!("{}", serde_json::to_string_pretty(&info.dev_metrics)?);
    Ok(EXIT_OK)
}
