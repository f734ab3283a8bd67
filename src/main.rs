//! The `lure` command: a thin front end over the library. See `lure --help`.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::run()
}
