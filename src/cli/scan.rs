//! `lure scan`: read records on one thread, score chunks in parallel, write in order.

use super::args::{FormatArg, InputFormatArg, ScanArgs};
use super::{EXIT_OK, Hint, build_detector};
use anyhow::{Context, Result};
use lure::input::{self, Format, InputOptions, Record};
use lure::output::{self, OutputFormat};
use lure::{Lang, Verdict};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::{BufWriter, IsTerminal, Write};
use std::sync::mpsc::sync_channel;
use std::time::Instant;

/// Records per chunk handed to the worker threads.
const CHUNK_RECORDS: usize = 1024;
/// Input bytes per chunk: with at most two chunks queued, memory stays bounded.
const CHUNK_BYTES: usize = 8 * 1024 * 1024;

pub fn run(args: ScanArgs) -> Result<u8> {
    let detector = build_detector(&args.rules)?;
    let options = InputOptions {
        text_field: args.text_field.clone(),
        title_field: args.title_field.clone(),
        id_field: args.id_field.clone(),
        format: args.input_format.map(|f| match f {
            InputFormatArg::Jsonl => Format::Jsonl,
            InputFormatArg::Csv => Format::Csv,
            InputFormatArg::Text => Format::Text,
            InputFormatArg::Lines => Format::Lines,
        }),
        lines: args.lines,
        max_record_bytes: args
            .max_record_bytes
            .unwrap_or(input::DEFAULT_MAX_RECORD_BYTES),
    };
    if args.inputs.iter().any(|p| p.as_os_str() == "-") && std::io::stdin().is_terminal() {
        return Err(anyhow::anyhow!("no input: stdin is a terminal")
            .context(Hint("give a file or folder, e.g. `lure scan datasets/sample.jsonl`, or pipe ads into `lure scan -`".into())));
    }
    let records = input::open(&args.inputs, options).context("cannot open the input")?;
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .context("cannot start worker threads")?;
    let format = match args.format {
        FormatArg::Jsonl => OutputFormat::Jsonl,
        FormatArg::Table => OutputFormat::Table,
        FormatArg::Csv => OutputFormat::Csv,
    };

    // Reader thread → bounded channel → scoring on the pool → ordered writes.
    let (sender, receiver) = sync_channel::<Vec<Record>>(2);
    std::thread::spawn(move || {
        let mut chunk = Vec::with_capacity(CHUNK_RECORDS);
        let mut bytes = 0;
        for record in records {
            bytes += record.bytes;
            chunk.push(record);
            if chunk.len() >= CHUNK_RECORDS || bytes >= CHUNK_BYTES {
                if sender.send(std::mem::take(&mut chunk)).is_err() {
                    return;
                }
                bytes = 0;
            }
        }
        if !chunk.is_empty() {
            let _ = sender.send(chunk);
        }
    });

    let progress = (!args.quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {pos} ads  {per_sec}  {elapsed}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        bar
    });
    let started = Instant::now();
    let sink = std::sync::Arc::new(std::sync::Mutex::new(lure::Profile::default()));
    // One scanner per worker thread, kept for the whole run (its buffers and regex caches
    // are reused from ad to ad).
    let scanners: Vec<std::sync::Mutex<lure::Scanner<'_>>> = (0..jobs)
        .map(|_| {
            let scanner = detector.scanner();
            std::sync::Mutex::new(if args.profile {
                scanner.with_profile(sink.clone())
            } else {
                scanner
            })
        })
        .collect();

    // Scored chunks go to a writer thread, so writing one chunk overlaps scoring the next.
    let (line_sender, line_receiver) = sync_channel::<Vec<ScoredLine>>(2);
    let writer = std::thread::spawn(move || -> Result<Summary> {
        let mut summary = Summary::default();
        let mut stdout = BufWriter::with_capacity(1 << 20, std::io::stdout().lock());
        if let Some(header) = output::header(format) {
            stdout
                .write_all(header.as_bytes())
                .context("cannot write the output")?;
        }
        for lines in line_receiver {
            for (line, stats, bytes) in &lines {
                stdout
                    .write_all(line.as_bytes())
                    .context("cannot write the output")?;
                summary.add(*stats, *bytes);
            }
            if let Some(bar) = &progress {
                bar.inc(lines.len() as u64);
            }
        }
        stdout.flush().context("cannot write the output")?;
        if let Some(bar) = progress {
            bar.finish_and_clear();
        }
        Ok(summary)
    });
    for chunk in receiver {
        let lines: Vec<ScoredLine> = pool.install(|| {
            chunk
                .par_iter()
                .map(|record| {
                    let id = record.location.to_id();
                    let result = record.result.as_ref().map_err(Clone::clone).map(|ad| {
                        let slot = rayon::current_thread_index().unwrap_or(0) % scanners.len();
                        // A poisoned lock only means another ad panicked; the scanner's
                        // buffers are cleared before each use.
                        let mut scanner = scanners[slot]
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner);
                        scanner.score(ad)
                    });
                    let stats = result.as_ref().ok().map(|a| (a.verdict, a.lang));
                    (
                        output::format_record(format, &id, &result),
                        stats,
                        record.bytes,
                    )
                })
                .collect()
        });
        if line_sender.send(lines).is_err() {
            // The writer stopped (closed pipe or write error): its result says why.
            break;
        }
    }
    drop(line_sender);
    // Scanners hand their profile to the sink when dropped.
    drop(scanners);
    let summary = writer
        .join()
        .map_err(|_| anyhow::anyhow!("the output writer thread panicked"))??;
    if !args.quiet {
        summary.print(started.elapsed().as_secs_f64());
    }
    if args.profile {
        let profile = sink.lock().map(|p| p.clone()).unwrap_or_default();
        print_profile(&profile);
    }
    // lure exits next: freeing the compiled rules and model would only cost time (~2 ms
    // of a one-ad run).
    std::mem::forget(detector);
    Ok(EXIT_OK)
}

/// One formatted output line, the verdict and language for the summary (`None` for an
/// error record), and the input bytes of the record.
type ScoredLine = (String, Option<(Verdict, Lang)>, usize);

#[derive(Default)]
struct Summary {
    records: usize,
    errors: usize,
    bytes: usize,
    verdicts: BTreeMap<Verdict, usize>,
    langs: BTreeMap<Lang, usize>,
}

impl Summary {
    fn add(&mut self, stats: Option<(Verdict, Lang)>, bytes: usize) {
        self.records += 1;
        self.bytes += bytes;
        match stats {
            Some((verdict, lang)) => {
                *self.verdicts.entry(verdict).or_default() += 1;
                *self.langs.entry(lang).or_default() += 1;
            }
            None => self.errors += 1,
        }
    }

    fn print(&self, seconds: f64) {
        let seconds = seconds.max(1e-6);
        let verdicts: Vec<String> = [Verdict::Scam, Verdict::Suspicious, Verdict::Clean]
            .iter()
            .map(|v| {
                format!(
                    "{} {}",
                    v.as_str(),
                    self.verdicts.get(v).copied().unwrap_or(0)
                )
            })
            .collect();
        let langs: Vec<String> = self.langs.iter().map(|(l, n)| format!("{l} {n}")).collect();
        eprintln!(
            "lure: {} records ({} errors) in {:.2} s, {:.0} ads/s, {:.1} MB/s\nlure: {}\nlure: {}",
            self.records,
            self.errors,
            seconds,
            self.records as f64 / seconds,
            self.bytes as f64 / seconds / 1e6,
            verdicts.join(", "),
            if langs.is_empty() {
                "no ads".to_string()
            } else {
                langs.join(", ")
            },
        );
    }
}

fn print_profile(profile: &lure::Profile) {
    let stages = [
        ("normalise", profile.normalize_ns),
        ("language", profile.language_ns),
        ("keywords", profile.keywords_ns),
        ("regexes", profile.regexes_ns),
        ("rules", profile.rules_ns),
        ("model", profile.model_ns),
    ];
    let total: u64 = stages.iter().map(|s| s.1).sum::<u64>().max(1);
    eprintln!(
        "lure: profile of {} ads (seconds summed over threads)",
        profile.ads
    );
    for (stage, ns) in stages {
        eprintln!(
            "  {stage:<10} {:>9.3} s {:>5.1}%",
            ns as f64 / 1e9,
            100.0 * ns as f64 / total as f64
        );
    }
    eprintln!("  slowest regex rules:");
    for (rule, ns) in profile.slowest_rules(15) {
        eprintln!("  {:>9.3} s  {rule}", ns as f64 / 1e9);
    }
}
