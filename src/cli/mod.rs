//! Command-line parsing and dispatch. Each subcommand lives in its own module.

mod args;
mod cluster_cmd;
mod eval_cmd;
mod explain;
mod report_cmd;
mod rules_cmd;
mod scan;
mod scored;
mod train_cmd;

use args::{Cli, Command, RulesCommand};
use clap::{CommandFactory, Parser};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

/// Exit code: the command completed (record-level errors are reported in the output).
pub const EXIT_OK: u8 = 0;
/// Exit code: `rules check` or `rules test` found problems.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: a fatal error (unreadable input, invalid rules, bad arguments).
pub const EXIT_FATAL: u8 = 2;

/// Parses arguments, runs the command and maps errors to exit code 2.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let code = if error.use_stderr() {
                EXIT_FATAL
            } else {
                EXIT_OK
            };
            let _ = error.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Scan(args) => scan::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Rules { command } => match command {
            RulesCommand::Check(args) => rules_cmd::check(args),
            RulesCommand::Test(args) => rules_cmd::test(args),
            RulesCommand::Stats(args) => rules_cmd::stats(args),
            RulesCommand::Fit(args) => rules_cmd::fit(args),
        },
        Command::Train(args) => train_cmd::run(args),
        Command::Eval(args) => eval_cmd::run(args),
        Command::Cluster(args) => cluster_cmd::run(args),
        Command::Report(args) => report_cmd::run(args),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "lure", &mut std::io::stdout());
            Ok(EXIT_OK)
        }
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(error) if is_broken_pipe(&error) => ExitCode::from(EXIT_OK),
        Err(error) => {
            report_error(&error);
            ExitCode::from(EXIT_FATAL)
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn report_error(error: &anyhow::Error) {
    let mut stderr = std::io::stderr().lock();
    let hint = error.downcast_ref::<Hint>().map(|h| h.0.clone());
    let messages: Vec<String> = error
        .chain()
        .map(|cause| cause.to_string())
        .filter(|message| Some(message) != hint.as_ref())
        .collect();
    let _ = writeln!(stderr, "error: {}", messages.join(": "));
    if let Some(lure::Error::InvalidRules { diagnostics }) = error.downcast_ref::<lure::Error>() {
        for diagnostic in diagnostics {
            let _ = writeln!(stderr, "{diagnostic}\n");
        }
        let _ = writeln!(
            stderr,
            "hint: run `lure rules check --rules DIR` for every problem with its location"
        );
    } else if let Some(hint) = hint {
        let _ = writeln!(stderr, "\nhint: {hint}");
    }
}

/// A hint attached to an error: printed after it as `hint: ...`.
#[derive(Debug)]
pub struct Hint(pub String);

impl std::fmt::Display for Hint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Hint {}

/// True when colour may be written to stdout: a terminal, and `NO_COLOR` unset.
pub fn stdout_wants_color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Builds the detector from `--rules` and threshold options.
pub fn build_detector(rules: &args::RuleOptions) -> anyhow::Result<lure::Detector> {
    use anyhow::Context;
    let mut builder = lure::Detector::builder();
    for path in &rules.rules {
        builder.rules_path(path);
    }
    if let Some(t) = rules.threshold {
        builder.flag_threshold(t);
    }
    if let Some(t) = rules.suspicious_threshold {
        builder.suspicious_threshold(t);
    }
    if let Some(bytes) = rules.max_field_bytes {
        builder.max_field_bytes(bytes);
    }
    if let Some(path) = &rules.model {
        builder.model_path(path);
    }
    builder.use_model(!rules.no_model);
    builder.low_memory(rules.low_memory);
    builder.build().context("cannot load the rules and model")
}
