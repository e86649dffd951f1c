//! The command line (clap derive). Doc comments here are the `--help` text.

use crate::report::Format;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// handbok turns digital-pedagogy guideline modules into published, multilingual handbooks.
#[derive(Debug, Parser)]
#[command(name = "handbok", version, about, long_about = None)]
pub struct Cli {
    /// The project folder: the one that holds book.toml.
    #[arg(
        long,
        short = 'C',
        global = true,
        default_value = ".",
        value_name = "DIR"
    )]
    pub root: PathBuf,

    /// How to print problems: `human` (rustc-style) or `json` (one object per line on stdout).
    #[arg(long, global = true, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Treat warnings as errors (for CI).
    #[arg(long, global = true)]
    pub deny_warnings: bool,

    /// Print only errors, then a summary by code that also counts the warnings (JSON output
    /// stays complete).
    #[arg(long, short, global = true)]
    pub quiet: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start a new project that builds and checks clean at once.
    ///
    /// Writes book.toml (English and Swedish, one handbook), two modules that link to each
    /// other, a current Swedish translation of one, and a .gitignore for book/. DIR must be empty (a .git folder alone is fine) or
    /// not exist yet; otherwise nothing is written and the exit code is 1.
    Init {
        /// The new project's folder (default: the --root folder, which is `.` unless given).
        dir: Option<PathBuf>,
    },

    /// Write a new module with valid front matter and a placeholder paragraph to replace.
    ///
    /// Levels, subjects and needs are checked against the vocabularies (the project's subjects
    /// from book.toml), the id against the ids in use. An existing file is never overwritten:
    /// then, or for any bad value, nothing is written and the exit code is 1.
    New {
        /// The file below guidelines/, e.g. `inclusion/captions.md` (`guidelines/` in front and
        /// `.md` at the end may be left out).
        path: String,

        /// The module's id (default: the file name in kebab case).
        #[arg(long)]
        id: Option<String>,

        /// The title.
        #[arg(long)]
        title: String,

        /// A level of education, `isced-1` or `primary` (repeatable; at least one).
        #[arg(long = "level", value_name = "LEVEL")]
        levels: Vec<String>,

        /// A subject, built-in or from book.toml (repeatable; at least one).
        #[arg(long = "subject", value_name = "SUBJECT")]
        subjects: Vec<String>,

        /// A learner need the module addresses, e.g. `dyslexia` (repeatable).
        #[arg(long = "need", value_name = "NEED")]
        needs: Vec<String>,

        /// One or two sentences for lists and search results (default: a prompt to replace).
        #[arg(long)]
        summary: Option<String>,
    },

    /// Print a JSON Schema of module or translation front matter, for editors.
    ///
    /// Draft-07, made from the fields, vocabularies (with this project's subjects from
    /// book.toml) and labels that `check` uses. See "Editor support" in the README for what editors can do with it.
    Schema {
        /// Which front matter.
        #[arg(value_enum, default_value_t = crate::schema::Kind::Module)]
        kind: crate::schema::Kind,

        /// Write the schema to FILE instead of printing it.
        #[arg(long, short, value_name = "FILE")]
        out: Option<PathBuf>,
    },

    /// Check the whole project and report every problem, with file:line:col and a fix.
    ///
    /// Exits with 1 if there is any error (or any warning with --deny-warnings), 0 otherwise.
    Check,

    /// Build the site: every module in every language, handbooks, facet pages, feeds, sitemap.
    ///
    /// Nothing is written if there is any error in the source language, book.toml or the
    /// theme; a good build replaces the output folder atomically. A translation with errors is
    /// published as the source text (its errors are reported as warnings) unless --strict.
    Build {
        /// Output folder (default: `build-dir` in book.toml, or `book`).
        #[arg(long, short, value_name = "DIR")]
        out: Option<PathBuf>,

        /// Also build modules with `status: draft`.
        #[arg(long)]
        drafts: bool,

        /// Minify every page with minify-html (slower; for comparison, pages are compact anyway).
        #[arg(long)]
        minify: bool,

        /// Fail on a translation's errors too, instead of publishing the source text in its
        /// place (what `check` reports as errors, `build` then treats as errors).
        #[arg(long)]
        strict: bool,
    },

    /// Preview the site while you write: build it in memory, serve it, and rebuild on every save.
    ///
    /// Pages open in the browser reload when they change; when a save breaks the project, the
    /// last good site stays served and the problems show over the page (and here). A preview
    /// server only: not for publishing (use `build` and any static host for that).
    Serve {
        /// The port to listen on; 0 picks a free one (the URL printed says which).
        #[arg(long, short, default_value_t = 3000, value_name = "PORT")]
        port: u16,

        /// The address to listen on. The default serves this computer only; `0.0.0.0` lets
        /// anyone on your network read the preview (to try it on a phone, say).
        #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
        bind: std::net::IpAddr,

        /// Open the site in the browser once it is served.
        #[arg(long)]
        open: bool,

        /// Also show modules with `status: draft`.
        #[arg(long)]
        drafts: bool,
    },

    /// Show the state of every translation: current, stale, missing, draft, unknown, orphaned,
    /// with coverage per language and the interface text each language lacks.
    ///
    /// Exits with 1 when --fail-under is given and a language's coverage is below it.
    Status {
        /// Only this language (repeatable; default: every translation language).
        #[arg(long = "lang", value_name = "LANG")]
        langs: Vec<String>,

        /// Fail (exit 1) when any selected language has fewer current modules than PCT percent.
        #[arg(long, value_name = "PCT")]
        fail_under: Option<f64>,
    },

    /// Help translators: start a translation, see what changed, record that it is current.
    #[command(subcommand)]
    Translate(Translate),

    /// Export content for other tools.
    #[command(subcommand)]
    Export(Export),

    /// Translate in a CAT tool (Weblate, Poedit, OmegaT, Crowdin): gettext PO files, one per
    /// module, an entry per block.
    #[command(subcommand)]
    Po(Po),
}

#[derive(Debug, Subcommand)]
pub enum Po {
    /// Write DIR/<module path>.po for every module: the source blocks as msgid, the
    /// translation's text as msgstr, entries whose source changed since marked fuzzy.
    Export {
        lang: String,
        /// The folder to write into (default: po/LANG in the project).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Write the PO files' translations into translations/LANG/, changing only the blocks
    /// whose text changed; text edited in the Markdown since the export is reported as a
    /// conflict and left as it is.
    ///
    /// Exits with 1 when any file was not imported.
    Import {
        lang: String,
        /// PO files or folders holding them (default: po/LANG in the project).
        paths: Vec<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum Translate {
    /// Write translations/LANG/<path>.md with the source text, its `source-hash` and
    /// `status: draft` (not published until `translate done`).
    New {
        lang: String,
        /// The module's id.
        id: String,
        /// Replace an existing translation with the source text.
        #[arg(long)]
        force: bool,
    },
    /// Record that the translation matches the source as it is now: sets `source-hash` and
    /// removes `status: draft`, changing no other line.
    Done { lang: String, id: String },
    /// Print what changed in the source since the translation's `source-hash`, block by block.
    Diff { lang: String, id: String },
    /// Add every interface string and vocabulary label that translations/LANG/ui.yaml lacks,
    /// as comments with the source language's text. Existing lines are kept.
    Ui { lang: String },
}

#[derive(Debug, Subcommand)]
pub enum Export {
    /// Write one handbook in one language as a plain mdBook project (book.toml, SUMMARY.md,
    /// chapters with cross-links rewritten), for mdBook and its renderers (PDF, EPUB, …).
    Mdbook {
        /// The handbook's id (from book.toml).
        #[arg(long)]
        handbook: String,

        /// The language (default: the source language).
        #[arg(long)]
        lang: Option<String>,

        /// The folder to write the mdBook project into.
        dir: PathBuf,
    },

    /// Write one handbook in one language as an accessible EPUB 3 e-book: its modules in order
    /// as chapters, cross-links inside the handbook as links inside the book, accessibility
    /// metadata derived from the content. The file is replaced only once it is complete.
    Epub {
        /// The handbook's id (from book.toml).
        #[arg(long)]
        handbook: String,

        /// The language (default: the source language).
        #[arg(long)]
        lang: Option<String>,

        /// The file to write (default: HANDBOOK-LANG.epub in the current folder).
        out: Option<PathBuf>,
    },
}
