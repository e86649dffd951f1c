//! The `handbok` binary: parse the command line, run the library, map the outcome to an exit code.

use clap::Parser;
use handbok::analysis::Texts;
use handbok::cli::{Cli, Command, Export, Po, Translate};
use handbok::render::BuildOptions;
use handbok::scaffold::{self, Outcome};
use handbok::{Project, report};
use std::io::IsTerminal;
use std::process::ExitCode;

/// mimalloc instead of the system allocator: allocation is a third of a build's CPU time (most of
/// it in templates' JSON contexts), and measured on 5,000 modules it made the build faster (see
/// bench/results/build.md). Without transparent huge pages (the `no_thp` feature, see
/// Cargo.toml): zeroing a 2 MiB page on each first touch cost more than the pages saved.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `purge_delay` (the option has no constant in `libmimalloc-sys`; 15 in mimalloc 2
/// and 3).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Memory freed is given back to the system after 100 ms instead of mimalloc's 1 s: a build
/// frees a page-sized buffer many times a second (a printable handbook is 11 MB at 5,000
/// modules), and a second's worth of them was 20–30 MiB of the 5k × 4 peak, for 1 % of the
/// time. Left alone when `MIMALLOC_PURGE_DELAY` sets another value, or when option 15 does
/// not hold mimalloc 3's default (another version).
fn tune_allocator() {
    // SAFETY: reading and setting an option are thread-safe calls without preconditions.
    unsafe {
        if libmimalloc_sys::mi_option_get(PURGE_DELAY) == 1000 {
            libmimalloc_sys::mi_option_set(PURGE_DELAY, 100);
        }
    }
}

/// Every command here but `build`, `serve` and the exports renders nothing: their analysis
/// leaves the bodies' HTML out, and but for the reports on translations their word counts.
const LINT_ONLY: handbok::check::Bodies = handbok::check::Bodies::LintOnly;
const COUNTED: handbok::check::Bodies = handbok::check::Bodies::Counted;

fn main() -> ExitCode {
    tune_allocator();
    let code = run();
    // The old output of a build is removed after the new one is in place and reported.
    handbok::write::settle();
    code
}

fn run() -> ExitCode {
    let cli = Cli::parse();
    // `serve` writes nothing to clean up and stops on Ctrl-C by itself.
    if !matches!(cli.command, Command::Serve { .. }) {
        clean_up_on_signals();
    }
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::io::stderr().is_terminal();
    let (mut project, done) = match &cli.command {
        Command::Check => {
            let project = handbok::analyze_with(&cli.root, LINT_ONLY, Texts::LetGo);
            let done = project.loaded.as_ref().map(|p| {
                format!(
                    "checked {}, {} in {}",
                    report::count(p.graph.modules.len(), "module"),
                    report::count(p.graph.translations.len(), "translation"),
                    report::count(p.config.languages.len(), "language"),
                )
            });
            (project, done)
        }
        Command::Build {
            out,
            drafts,
            minify,
            strict,
        } => {
            let started = std::time::Instant::now();
            let options = BuildOptions {
                drafts: *drafts,
                minify: *minify,
                strict: *strict,
            };
            // A progress bar only where someone watches it, and only for a long build.
            let bar = PageBar::default();
            let watched = std::io::stderr().is_terminal()
                && !cli.quiet
                && cli.format == report::Format::Human;
            let progress: &dyn handbok::build::Progress = if watched { &bar } else { &() };
            let (project, stats) =
                handbok::build::build_with_progress(&cli.root, out.as_deref(), &options, progress);
            let done = stats.map(|s| {
                format!(
                    "built {} ({} MB) and copied {} into {} in {:.2?}; open {}",
                    report::count(s.pages, "page"),
                    s.bytes / 1_000_000,
                    report::count(s.media, "media file"),
                    s.output.display(),
                    started.elapsed(),
                    s.output.join("index.html").display(),
                )
            });
            (project, done)
        }
        Command::Serve {
            port,
            bind,
            open,
            drafts,
        } => {
            let options = handbok::serve::Options {
                bind: *bind,
                port: *port,
                open: *open,
                build: BuildOptions {
                    drafts: *drafts,
                    minify: false,
                    strict: false,
                },
                emit: report::Emit {
                    format: cli.format,
                    color,
                    quiet: cli.quiet,
                },
            };
            return match handbok::serve::run(&cli.root, options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("error: {message}");
                    ExitCode::from(2)
                }
            };
        }
        Command::Init { dir } => {
            return outcome(
                &cli,
                scaffold::init::init(dir.as_ref().unwrap_or(&cli.root)),
            );
        }
        Command::New {
            path,
            id,
            title,
            levels,
            subjects,
            needs,
            summary,
        } => {
            let request = scaffold::new::Request {
                path,
                id: id.as_deref(),
                title,
                levels,
                subjects,
                needs,
                summary: summary.as_deref(),
            };
            return new(&cli, &request, color);
        }
        Command::Schema { kind, out } => return schema(&cli, *kind, out.as_deref(), color),
        Command::Status { langs, fail_under } => return status(&cli, langs, *fail_under, color),
        Command::Translate(action) => return translate(&cli, action, color),
        Command::Po(action) => return po(&cli, action, color),
        Command::Export(Export::Mdbook {
            handbook,
            lang,
            dir,
        }) => {
            let (project, written) =
                handbok::export::mdbook(&cli.root, handbook, lang.as_deref(), dir);
            let done = written.map(|n| {
                format!(
                    "wrote {} to {}; run `mdbook build {}`",
                    report::count(n, "chapter"),
                    dir.display(),
                    dir.display()
                )
            });
            (project, done)
        }
        Command::Export(Export::Epub {
            handbook,
            lang,
            out,
        }) => {
            let (project, written) =
                handbok::export::epub::epub(&cli.root, handbook, lang.as_deref(), out.as_deref());
            let done = written.map(|e| {
                format!(
                    "wrote {} ({}) to {}",
                    report::count(e.chapters, "chapter"),
                    handbok::render::offline::human_size(e.bytes, "."),
                    e.path.display()
                )
            });
            (project, done)
        }
    };
    let code = finish(&mut project, done, &cli, color);
    // Not dropped: freeing the analysed project allocation by allocation took ~0.1 s at
    // 5,000 modules × 4 languages after everything was reported; the process ends next.
    std::mem::forget(project);
    code
}

/// `handbok status`: the report on stdout (a table, or JSON with `--format json`); exit code 1
/// when a language is below `--fail-under`, 2 when the project or a language cannot be read.
fn status(cli: &Cli, langs: &[String], fail_under: Option<f64>, color: bool) -> ExitCode {
    use handbok::translate::status;
    let mut project = handbok::analyze_with(&cli.root, COUNTED, Texts::Keep);
    if project.loaded.is_none() {
        return finish(&mut project, None, cli, color);
    }
    let report = match status::report(&project, langs) {
        Ok(report) => report,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let text = match cli.format {
        report::Format::Json => serde_json::to_string(&report).unwrap_or_default() + "\n",
        report::Format::Human => status::human(&report),
    };
    print!("{text}");
    if project.diags.has_errors() && !cli.quiet {
        eprintln!(
            "note: the project has {} (run `handbok check`); a translation with errors is \
             published as the source text",
            report::count(project.diags.errors(), "error")
        );
    }
    if let Some(pct) = fail_under {
        let below = status::below(&report, pct);
        if !below.is_empty() {
            eprintln!("error: coverage below {pct}% in: {}", below.join(", "));
            return ExitCode::from(1);
        }
    }
    ExitCode::SUCCESS
}

/// `handbok translate …`: one action on one translation; what it did on stderr (the diff on
/// stdout), exit code 1 when it refused or failed.
fn translate(cli: &Cli, action: &Translate, color: bool) -> ExitCode {
    use handbok::translate::{diff, files};
    let mut project = handbok::analyze_with(&cli.root, LINT_ONLY, Texts::Keep);
    let Some(data) = &project.loaded else {
        return finish(&mut project, None, cli, color);
    };
    let sources = &project.sources;
    let result = match action {
        Translate::New { lang, id, force } => files::new(data, sources, lang, id, *force),
        Translate::Done { lang, id } => files::done(data, sources, lang, id),
        Translate::Ui { lang } => files::ui(data, &data.ui_files, lang),
        Translate::Diff { lang, id } => diff::report(data, sources, lang, id).map(|text| {
            print!("{text}");
            String::new()
        }),
    };
    outcome(cli, result)
}

/// What a command that writes files did (on stderr, unless --quiet), or `error: ` and why it
/// wrote nothing, with exit code 1.
fn outcome(cli: &Cli, result: Outcome) -> ExitCode {
    match result {
        Ok(message) => {
            if !message.is_empty() && !cli.quiet {
                eprintln!("{message}");
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
    }
}

/// `handbok new`: checks the request against the project, then writes the module.
fn new(cli: &Cli, request: &scaffold::new::Request, color: bool) -> ExitCode {
    let mut project = handbok::analyze_with(&cli.root, LINT_ONLY, Texts::Keep);
    let Some(data) = &project.loaded else {
        return finish(&mut project, None, cli, color);
    };
    outcome(cli, scaffold::new::new(data, request))
}

/// `handbok schema`: the JSON Schema on stdout, or written to `out`.
fn schema(
    cli: &Cli,
    kind: handbok::schema::Kind,
    out: Option<&std::path::Path>,
    color: bool,
) -> ExitCode {
    let mut project = handbok::analyze_with(&cli.root, LINT_ONLY, Texts::Keep);
    let Some(data) = &project.loaded else {
        return finish(&mut project, None, cli, color);
    };
    let text = handbok::schema::text_of(kind, &data.config);
    let Some(out) = out else {
        print!("{text}");
        return ExitCode::SUCCESS;
    };
    let written = handbok::translate::files::write_atomic(out, text.as_bytes())
        .map(|()| format!("wrote {}", out.display()))
        .map_err(|e| format!("writing {}: {}", out.display(), handbok::load::err_text(&e)));
    outcome(cli, written)
}

/// A progress bar over the pages of a build, on stderr; shown only past [`PageBar::LONG`]
/// pages. Plain characters, no colour.
#[derive(Default)]
struct PageBar(std::sync::OnceLock<indicatif::ProgressBar>);

impl PageBar {
    /// Shorter builds end before a bar would say anything.
    const LONG: usize = 200;
}

impl handbok::build::Progress for PageBar {
    fn start(&self, pages: usize) {
        if pages <= Self::LONG {
            return;
        }
        let style = indicatif::ProgressStyle::with_template(
            "rendering [{bar:40}] {pos}/{len} pages, {eta} left",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> ");
        let bar = indicatif::ProgressBar::new(pages as u64).with_style(style);
        let _ = self.0.set(bar);
    }

    fn page(&self) {
        if let Some(bar) = self.0.get() {
            bar.inc(1);
        }
    }

    fn finish(&self) {
        if let Some(bar) = self.0.get() {
            bar.finish_and_clear();
        }
    }
}

/// `handbok po export|import`: what was written on stderr; exit code 1 when the language is
/// unknown or a PO file was not imported (each reason printed).
fn po(cli: &Cli, action: &Po, color: bool) -> ExitCode {
    use handbok::po::{export, import};
    let mut project = handbok::analyze_with(&cli.root, LINT_ONLY, Texts::Keep);
    let Some(data) = &project.loaded else {
        return finish(&mut project, None, cli, color);
    };
    let sources = &project.sources;
    let (message, problems) = match action {
        Po::Export { lang, out } => {
            let dir = out
                .clone()
                .unwrap_or_else(|| data.root.join("po").join(lang));
            match export::export(data, sources, lang, &dir) {
                Ok(e) => (
                    format!(
                        "wrote {} to {} ({} entries, {} untranslated, {} fuzzy)",
                        report::count(e.files, "PO file"),
                        dir.display(),
                        e.entries,
                        e.untranslated,
                        e.fuzzy
                    ),
                    Vec::new(),
                ),
                Err(message) => (String::new(), vec![message]),
            }
        }
        Po::Import { lang, paths } => match import::import(data, sources, lang, paths) {
            Ok(i) => {
                let mut lines: Vec<String> =
                    i.written.iter().map(|f| format!("wrote {f}")).collect();
                lines.extend(
                    i.current
                        .iter()
                        .map(|f| format!("{f} records the current source")),
                );
                lines.push(format!(
                    "imported: {} written, {} unchanged, {} not imported",
                    report::count(i.written.len(), "file"),
                    i.unchanged,
                    i.problems.len()
                ));
                (lines.join("\n"), i.problems)
            }
            Err(message) => (String::new(), vec![message]),
        },
    };
    if !message.is_empty() && !cli.quiet {
        eprintln!("{message}");
    }
    for problem in &problems {
        eprintln!("error: {problem}");
    }
    if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// Prints the diagnostics and a summary; the exit code says whether there was an error.
fn finish(project: &mut Project, done: Option<String>, cli: &Cli, color: bool) -> ExitCode {
    if cli.deny_warnings {
        project.diags.deny_warnings();
    }
    let how = report::Emit {
        format: cli.format,
        color,
        quiet: cli.quiet,
    };
    match report::emit(&project.sources, &project.diags, how) {
        // A closed pipe (`handbok check | head`) is the reader's choice, not a failure.
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("error: writing diagnostics: {err}");
            return ExitCode::from(2);
        }
        _ => {}
    }
    // `--quiet` keeps the closing line only when there was something to report.
    if cli.format == report::Format::Human && (!cli.quiet || !project.diags.is_empty()) {
        // `done` says what the command did; a build or export that wrote nothing has none.
        let what = done.unwrap_or_else(|| match cli.command {
            Command::Check => "check".into(),
            _ => "nothing written".into(),
        });
        eprintln!("{}", report::summary(&project.diags, &what));
    }
    if project.diags.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// On SIGINT or SIGTERM, removes the staging folders of a build under way, then exits with the
/// shell's code for the signal (130, 143): an interrupted build leaves nothing behind.
#[cfg(unix)]
fn clean_up_on_signals() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
        return; // without a handler the default action still ends the process
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            handbok::write::abandon();
            std::process::exit(128 + signal);
        }
    });
}

#[cfg(not(unix))]
fn clean_up_on_signals() {}
