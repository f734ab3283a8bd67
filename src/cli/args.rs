//! The command-line interface, declared with clap.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const EXIT_CODES: &str = "Exit codes:
  0  the command completed (unreadable records are reported in the output, not fatal)
  1  `rules check` or `rules test` found problems
  2  fatal error: unreadable input, invalid rules, bad arguments";

/// Finds scam-compound recruitment job ads (zh, th, vi, id, en) and says why.
#[derive(Debug, Parser)]
#[command(name = "lure", version, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Score every ad of files, folders or stdin; one JSON line per input record.
    #[command(after_help = "Examples:
  lure scan datasets/sample.jsonl
  lure scan dump/ --format table
  zcat ads.jsonl.gz | lure scan - --jobs 2 > results.jsonl
  lure scan ads.csv --text-field body --id-field ad_id --format csv
  lure scan posts.txt --lines

Exit codes: 0 scan completed (bad records are reported as error lines), 2 fatal error.")]
    Scan(ScanArgs),
    /// Show one ad with each hit highlighted and what every rule contributed.
    #[command(after_help = "Examples:
  lure explain \"西港高薪招聘打字员，包机票，纸飞机联系\"
  lure explain --file ad.txt --title \"Customer service\"
  echo \"Lowongan kerja di Kamboja, gaji 20 juta\" | lure explain -")]
    Explain(ExplainArgs),
    /// Lint and test rule files.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
    /// Train the classifier on labelled data (DIR/train.jsonl, DIR/dev.jsonl) and write a
    /// model file; prints dev-split figures.
    #[command(after_help = "Examples:
  lure train --data datasets/ --out models/lure.model
  lure train --data datasets/ --out /tmp/try.model --columns 2000 --alpha 0.1")]
    Train(TrainArgs),
    /// Measure precision, recall, F1 and false-positive rate on labelled JSONL, per language
    /// and per kind, for rules only, model only and combined.
    #[command(after_help = "Examples:
  lure eval --data datasets/test.jsonl
  lure eval --data datasets/dev.jsonl --json > dev-metrics.json
  lure eval --data datasets/test.jsonl --no-model")]
    Eval(EvalArgs),
    /// Group ads into campaigns: shared contacts (normalised) or near-duplicate text
    /// (MinHash/LSH); one JSON line per campaign of two or more ads, largest first.
    #[command(after_help = "Examples:
  lure cluster ads.jsonl > campaigns.jsonl          # scans the ads, then clusters
  lure scan ads.jsonl > results.jsonl && lure cluster results.jsonl   # contacts only
  lure cluster dump/ --threshold 0.8")]
    Cluster(ClusterArgs),
    /// Write a self-contained HTML report (score distribution, verdicts by language, top
    /// rules, contacts, places and campaigns, the highest-scoring ads highlighted).
    #[command(after_help = "Examples:
  lure report ads.jsonl -o report.html
  lure scan dump/ > results.jsonl && lure report results.jsonl -o report.html")]
    Report(ReportArgs),
    /// Print shell completions.
    #[command(after_help = "Examples:
  lure completions bash > ~/.local/share/bash-completion/completions/lure
  lure completions zsh > ~/.zfunc/_lure")]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Lint rule files: unknown keys, duplicate ids, bad regexes, undefined references,
    /// cycles, weights of the wrong sign, missing examples. Exit 1 when errors are found.
    #[command(after_help = "Examples:
  lure rules check
  lure rules check --rules rules/ --strict
  lure rules check --rules my-rules.toml --json")]
    Check(CheckArgs),
    /// Run every rule's examples through the whole rule set. Exit 1 when one fails.
    #[command(after_help = "Examples:
  lure rules test
  lure rules test --rules rules/")]
    Test(TestArgs),
    /// Per-rule hits on labelled data: scam and non-scam hits, precision, share of scams
    /// caught, and rules that never fire.
    #[command(after_help = "Examples:
  lure rules stats --data datasets/dev.jsonl
  lure rules stats --data datasets/train.jsonl datasets/dev.jsonl --sort precision
  lure rules stats --data datasets/dev.jsonl --json > stats.json")]
    Stats(StatsArgs),
    /// Fit rule weights by regularised logistic regression on labelled data (false
    /// positives cost more than misses) and print the proposed changes; --write applies them.
    #[command(after_help = "Examples:
  lure rules fit --rules rules/ --data datasets/train.jsonl
  lure rules fit --rules rules/ --data datasets/train.jsonl --fp-cost 5 --write")]
    Fit(FitArgs),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum StatsSort {
    /// Rule-file order.
    File,
    /// Most hits first.
    Hits,
    /// Highest precision first.
    Precision,
    /// Largest share of scams caught first.
    Recall,
    /// Most false positives first.
    FalsePositives,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Labelled JSONL files (label 1 scam, 0 not).
    #[arg(long, value_name = "FILE", required = true, num_args = 1..)]
    pub data: Vec<PathBuf>,
    /// Rule file or folder, instead of the embedded rules (repeatable).
    #[arg(long, value_name = "PATH")]
    pub rules: Vec<PathBuf>,
    /// Sort order.
    #[arg(long, value_enum, default_value_t = StatsSort::Hits)]
    pub sort: StatsSort,
    /// Include helper rules.
    #[arg(long)]
    pub helpers: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct FitArgs {
    /// Labelled JSONL files (label 1 scam, 0 not). Use the train split, not test.
    #[arg(long, value_name = "FILE", required = true, num_args = 1..)]
    pub data: Vec<PathBuf>,
    /// Rule folder or files to fit (required with --write).
    #[arg(long, value_name = "PATH")]
    pub rules: Vec<PathBuf>,
    /// A false positive costs this many misses.
    #[arg(long, default_value_t = 3)]
    pub fp_cost: usize,
    /// L2 penalty.
    #[arg(long, default_value_t = 0.5)]
    pub alpha: f64,
    /// Rules with fewer hits keep their weight.
    #[arg(long, default_value_t = 3)]
    pub min_hits: usize,
    /// Write the fitted weights into the rule files.
    #[arg(long)]
    pub write: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Options shared by the commands that load rules.
#[derive(Debug, Args, Clone, Default)]
pub struct RuleOptions {
    /// Rule file or folder of *.toml files, instead of the embedded rules (repeatable).
    #[arg(long, value_name = "PATH")]
    pub rules: Vec<PathBuf>,
    /// Score at or above which an ad is flagged [default: from the rules, 0.5].
    #[arg(long, value_name = "SCORE")]
    pub threshold: Option<f64>,
    /// Score at or above which an ad is "suspicious" [default: from the rules, 0.2].
    #[arg(long, value_name = "SCORE")]
    pub suspicious_threshold: Option<f64>,
    /// Bytes of each field that are scored; longer fields are scored on a prefix and
    /// marked "truncated" [default: 262144].
    #[arg(long, value_name = "BYTES")]
    pub max_field_bytes: Option<usize>,
    /// Model file, instead of the embedded model.
    #[arg(long, value_name = "FILE", conflicts_with = "no_model")]
    pub model: Option<PathBuf>,
    /// Rules only: no classifier (thresholds from the rules' [scoring] table).
    #[arg(long)]
    pub no_model: bool,
    /// Less memory, slower regexes: short regex searches run on a bounded backtracker
    /// instead of the lazy DFA (measured: ~80 MB less with two threads, 3-22 % slower).
    #[arg(long)]
    pub low_memory: bool,
}

#[derive(Debug, Args)]
pub struct TrainArgs {
    /// Folder with train.jsonl and dev.jsonl (labelled JSONL: text, label 0/1, lang, kind).
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// Where to write the model.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Rule file or folder whose hits become features, instead of the embedded rules.
    #[arg(long, value_name = "PATH")]
    pub rules: Vec<PathBuf>,
    /// L2 penalty.
    #[arg(long, default_value_t = 0.05)]
    pub alpha: f64,
    /// Hashed feature columns kept for training.
    #[arg(long, default_value_t = 4000)]
    pub columns: usize,
    /// Most L-BFGS iterations.
    #[arg(long, default_value_t = 200)]
    pub iterations: u64,
    /// Give the model the matched rules as features too (by default rules and model meet
    /// only in the calibration, which measured better on dev; see models/README.md).
    #[arg(long)]
    pub rule_features: bool,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Labelled JSONL files (label 1 scam, 0 not; optional kind, lang).
    #[arg(long, value_name = "FILE", required = true, num_args = 1..)]
    pub data: Vec<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub rules: RuleOptions,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files or folders (.jsonl, .ndjson, .csv, .txt, optionally .gz / .zst); `-` for stdin.
    #[arg(value_name = "INPUT", default_value = "-")]
    pub inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub rules: RuleOptions,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Jsonl)]
    pub format: FormatArg,
    /// Worker threads [default: number of CPUs].
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Field holding the ad text [default: text, body, description, content or message].
    #[arg(long, value_name = "NAME")]
    pub text_field: Option<String>,
    /// Field holding the title [default: title].
    #[arg(long, value_name = "NAME")]
    pub title_field: Option<String>,
    /// Field holding the ad id [default: id; FILE:LINE when absent].
    #[arg(long, value_name = "NAME")]
    pub id_field: Option<String>,
    /// Input format, instead of choosing by file extension.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<InputFormatArg>,
    /// Read text files (and text on stdin) as one ad per line.
    #[arg(long)]
    pub lines: bool,
    /// Largest input record in bytes; a longer one is reported as an error [default: 33554432].
    #[arg(long, value_name = "BYTES")]
    pub max_record_bytes: Option<usize>,
    /// No summary and no progress bar on stderr.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Print the time per stage and the slowest regex rules to stderr (summed over threads).
    #[arg(long)]
    pub profile: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// One JSON object per line (the documented schema).
    Jsonl,
    /// An aligned table for people.
    Table,
    /// Flat CSV: id, flagged, score, verdict, lang, rules, error.
    Csv,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum InputFormatArg {
    /// JSON Lines.
    Jsonl,
    /// CSV with a header row.
    Csv,
    /// A whole file is one ad.
    Text,
    /// One ad per line.
    Lines,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The ad text; `-` reads stdin.
    #[arg(value_name = "TEXT", conflicts_with = "file")]
    pub text: Option<String>,
    /// Read the ad text from a file.
    #[arg(long, value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// The ad's title.
    #[arg(long)]
    pub title: Option<String>,
    /// The ad's language, instead of detecting it (zh, th, vi, id, en).
    #[arg(long)]
    pub lang: Option<String>,
    /// Print the result as JSON instead of the highlighted view.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub rules: RuleOptions,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Rule file or folder, instead of the embedded rules (repeatable).
    #[arg(long, value_name = "PATH")]
    pub rules: Vec<PathBuf>,
    /// Treat warnings as errors.
    #[arg(long)]
    pub strict: bool,
    /// Print diagnostics as JSON lines.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct TestArgs {
    /// Rule file or folder, instead of the embedded rules (repeatable).
    #[arg(long, value_name = "PATH")]
    pub rules: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ClusterArgs {
    /// Ads (any input format `lure scan` reads), or `lure scan` results (JSONL with
    /// `entities`: clustered by contacts only, since results carry no text).
    #[arg(value_name = "INPUT", required = true)]
    pub inputs: Vec<PathBuf>,
    /// Estimated Jaccard similarity of character 5-gram shingles at which two ads are
    /// near-duplicates.
    #[arg(long, default_value_t = 0.7)]
    pub threshold: f64,
    /// Rule file or folder, instead of the embedded rules (repeatable).
    #[arg(long, value_name = "PATH")]
    pub rules: Vec<PathBuf>,
    /// No summary on stderr.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Ads, or `lure scan` results (then the top ads show matched text only).
    #[arg(value_name = "INPUT", required = true)]
    pub inputs: Vec<PathBuf>,
    /// Where to write the HTML.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: PathBuf,
    /// Near-duplicate threshold for the campaigns (see `lure cluster`).
    #[arg(long, default_value_t = 0.7)]
    pub threshold: f64,
    /// Rule file or folder, instead of the embedded rules (repeatable).
    #[arg(long, value_name = "PATH")]
    pub rules: Vec<PathBuf>,
    /// No message on stderr.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}
