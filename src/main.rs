//! The `handbok` binary: parse the command line, run the library, map the outcome to an exit code.

use clap::Parser;
use handbok::cli::{Cli, Command};
use handbok::report;
use std::io::IsTerminal;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::io::stderr().is_terminal();
    match cli.command {
        Command::Check => {
            let mut project = handbok::analyze(&cli.root);
            if cli.deny_warnings {
                project.diags.deny_warnings();
            }
            match report::emit(&project.sources, &project.diags, cli.format, color) {
                // A closed pipe (`handbok check | head`) is the reader's choice, not a failure.
                Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => {
                    eprintln!("error: writing diagnostics: {err}");
                    return ExitCode::from(2);
                }
                _ => {}
            }
            if !cli.quiet && cli.format == report::Format::Human {
                let what = match &project.loaded {
                    Some(p) => format!(
                        "checked {}, {} in {}",
                        report::count(p.graph.modules.len(), "module"),
                        report::count(p.graph.translations.len(), "translation"),
                        report::count(p.config.languages.len(), "language"),
                    ),
                    None => "check".to_string(),
                };
                eprintln!("{}", report::summary(&project.diags, &what));
            }
            if project.diags.has_errors() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
    }
}
