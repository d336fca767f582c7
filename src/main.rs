//! The command line: parses arguments, dispatches to the library, prints errors once.

use anyhow::Result;
use clap::{Parser, Subcommand};
use docsite::build_on_disk;
use docsite::InitOptions;
use docsite::NewPage;
use docsite::ServeOptions;
use docsite::{build, check, BuildError, BuildOptions, CheckOptions, Strictness};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The build allocates many small strings from several threads; mimalloc does that faster
/// and returns memory more readily than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its `mi_option_t` enum in `mimalloc.h`, v3).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// mimalloc 3 keeps freed memory for a second before giving it back to the system, longer
/// than a whole build, so every short-lived context and buffer added to the peak. After
/// 10 ms instead (mimalloc 2's default), a 10,000-event build peaks about 20 MiB lower
/// (bench/README.md). mimalloc's own `MIMALLOC_PURGE_DELAY`, when set, still wins.
fn return_freed_memory_promptly() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets one of mimalloc's runtime options, which it reads at each purge;
        // any value is valid.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 10) };
    }
}

#[derive(Parser)]
#[command(
    name = "docsite",
    version,
    about = "Builds the documentary site from content/ into public/"
)]
struct Cli {
    /// The folder holding site.toml (default: the current folder).
    #[arg(long, short = 'r', global = true, default_value = ".")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start a new documentary: a starter site, ready to build, serve and check.
    Init {
        /// The folder to write into (made if missing; default: the current folder).
        dir: Option<PathBuf>,
        /// The documentary's title (default: made from the folder's name).
        #[arg(long)]
        title: Option<String>,
        /// Where the site will be published (e.g. https://user.github.io/repo/).
        #[arg(long)]
        base_url: Option<String>,
        /// Write into a folder that is not empty; no file there is ever overwritten.
        #[arg(long)]
        force: bool,
    },
    /// Build the site into the output folder (atomically: a failed build changes nothing).
    Build {
        /// Replace site.toml's base_url (e.g. https://user.github.io/repo/).
        #[arg(long)]
        base_url: Option<String>,
        /// Where to write the site.
        #[arg(long, short = 'o', default_value = "public")]
        output_dir: PathBuf,
        /// Include pages marked `draft = true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Build into memory and serve with live reload; drafts are shown.
    Serve {
        /// The port to listen on.
        #[arg(long, short = 'p', default_value_t = 1111)]
        port: u16,
        /// The address to listen on (other than loopback, other machines can reach it).
        #[arg(long, short = 'i', default_value = "127.0.0.1")]
        interface: IpAddr,
        /// Open the site in the system's browser.
        #[arg(long)]
        open: bool,
        /// Leave out pages marked `draft = true`, as `build` does.
        #[arg(long)]
        no_drafts: bool,
    },
    /// Run the whole build without writing anything and report every problem at once:
    /// content, templates, internal links and anchors in the produced HTML.
    Check {
        /// Also check external links (needs the network).
        #[arg(long)]
        external: bool,
        /// Include pages marked `draft = true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Write a new event or chapter as a draft, with front matter ready to fill in.
    New {
        #[command(subcommand)]
        what: NewCommand,
    },
    /// The built-in theme: write it into the site, or list which of its files the site
    /// overrides.
    Theme {
        #[command(subcommand)]
        what: ThemeCommand,
    },
}

#[derive(Subcommand)]
enum ThemeCommand {
    /// Write every file of the built-in theme into templates/ and static/; a file the site
    /// already has is kept, never overwritten.
    Eject,
    /// List the files of templates/ and static/ the site builds with, and where each comes
    /// from (the built-in theme, or the site's own file).
    List,
}

#[derive(Subcommand)]
enum NewCommand {
    /// content/events/<slug>.md (a draft in the first chapter, citing the first source)
    Event {
        /// The file name, without `.md` (e.g. my-event); the title is made from it.
        slug: String,
        /// The date: YYYY, YYYY-MM or YYYY-MM-DD; before year 1 with its era: "490 BCE",
        /// "44-03-15 BCE", or a minus sign: -0489.
        #[arg(long, allow_hyphen_values = true)]
        date: String,
    },
    /// content/chapters/<slug>.md (a draft, ordered after the others)
    Chapter {
        /// The file name, without `.md` (e.g. first-chapter); the title is made from it.
        slug: String,
    },
}

/// Runs the command; a system error comes back here and is printed once, its whole chain
/// on one line (`error: cannot write public/x: No space left on device`).
fn main() -> ExitCode {
    return_freed_memory_promptly();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", docsite::clean_lines(&format!("{e:#}")));
            ExitCode::FAILURE
        }
    }
}

/// Dispatches to the library. Problems in the site's files are printed where they are
/// found (with the build's own summary) and end in a failure code, not an error.
fn run(cli: Cli) -> Result<ExitCode> {
    let root = cli.root;
    match cli.command {
        Command::Init {
            dir,
            title,
            base_url,
            force,
        } => {
            let report = docsite::init(&InitOptions {
                dir: dir.unwrap_or(root),
                title,
                base_url,
                force,
            })?;
            print_all(&report.to_string())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Build {
            base_url,
            output_dir,
            drafts,
        } => run_build(root, base_url, output_dir, drafts),
        Command::Serve {
            port,
            interface,
            open,
            no_drafts,
        } => {
            docsite::serve(&ServeOptions {
                root,
                interface,
                port,
                open,
                drafts: !no_drafts,
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { external, drafts } => run_check(root, external, drafts),
        Command::New { what } => {
            let page = match what {
                NewCommand::Event { slug, date } => NewPage::Event { slug, date },
                NewCommand::Chapter { slug } => NewPage::Chapter { slug },
            };
            let path = docsite::new_page(&root, &page)?;
            print_all(&format!("wrote {}\n", shown(&root.join(path))))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Theme { what } => {
            let text = match what {
                ThemeCommand::Eject => docsite::eject_theme(&root)?.to_string(),
                ThemeCommand::List => docsite::list_theme(&root)?.to_string(),
            };
            print_all(&text)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Writes `text` to standard output; a reader that closed the pipe early (`| head`) ends
/// the output quietly.
fn print_all(text: &str) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(anyhow::Error::new(e).context("cannot write to standard output"))
        }
        _ => Ok(()),
    }
}

/// `build`: into the output folder on disk, replaced only when the whole build succeeded.
fn run_build(
    root: PathBuf,
    base_url: Option<String>,
    output_dir: PathBuf,
    drafts: bool,
) -> Result<ExitCode> {
    let started = std::time::Instant::now();
    let out_dir = if output_dir.is_absolute() || root == Path::new(".") {
        output_dir.clone()
    } else {
        root.join(&output_dir)
    };
    let opts = BuildOptions {
        root,
        base_url,
        drafts,
        strictness: Strictness::Warn,
    };
    docsite::clean_up_on_interrupt()?;
    match build_on_disk(&out_dir, &opts.root, |out| build(&opts, out)) {
        Ok(stats) => {
            warn(&stats.warnings);
            eprintln!(
                "built {} ({}, {}) into {} in {} ms",
                counted(stats.pages, "page"),
                counted(stats.events, "event"),
                counted(stats.chapters, "chapter"),
                shown(&output_dir),
                started.elapsed().as_millis()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(BuildError::Site(d)) => {
            eprintln!("{d}");
            eprintln!(
                "the build failed; {} was left as it was",
                shown(&output_dir)
            );
            Ok(ExitCode::FAILURE)
        }
        Err(BuildError::System(e)) => Err(e),
    }
}

/// `check`: the whole build in memory and every link checked; nothing written. What
/// `build` only warns of in the sourcing of the content fails `check`.
fn run_check(root: PathBuf, external: bool, drafts: bool) -> Result<ExitCode> {
    let opts = CheckOptions {
        build: BuildOptions {
            root,
            base_url: None,
            drafts,
            strictness: Strictness::Fail,
        },
        external,
    };
    match check(&opts) {
        Ok(stats) => {
            warn(&stats.warnings);
            let found = if stats.warnings.is_empty() {
                "no problems"
            } else {
                "no errors"
            };
            eprintln!(
                "{found}: {}, {}, {} checked",
                counted(stats.pages, "page"),
                counted(stats.events, "event"),
                counted(stats.chapters, "chapter")
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(BuildError::Site(d)) => {
            eprintln!("{d}");
            Ok(ExitCode::FAILURE)
        }
        Err(BuildError::System(e)) => Err(e),
    }
}

/// Prints the warnings of a build that succeeded, with their count, if there are any.
fn warn(warnings: &docsite::Diagnostics) {
    if !warnings.is_empty() {
        eprintln!("{warnings}");
    }
}

/// `n` and the noun, plural unless one: "1 chapter", "4 chapters".
fn counted(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// A path as the terminal may show it: control characters as U+FFFD.
fn shown(path: &Path) -> String {
    docsite::clean(&path.display().to_string()).into_owned()
}
