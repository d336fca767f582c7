//! The command line: parses arguments, dispatches to the library, prints errors once.

use anyhow::Result;
use clap::{Parser, Subcommand};
use docsite::output::Output;
use docsite::site::{build, BuildError, BuildOptions};
use std::path::PathBuf;
use std::process::ExitCode;

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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Build {
            base_url,
            output_dir,
            drafts,
        } => {
            let opts = BuildOptions {
                root: cli.root.clone(),
                base_url,
                drafts,
            };
            let started = std::time::Instant::now();
            let shown = output_dir.clone();
            let out_dir = if output_dir.is_absolute() || cli.root == std::path::Path::new(".") {
                output_dir
            } else {
                cli.root.join(output_dir)
            };
            let out = Output::disk(&out_dir, &cli.root)?;
            match build(&opts, &out) {
                Ok(stats) => {
                    out.commit()?;
                    eprintln!(
                        "built {} pages ({} events, {} chapters) into {} in {} ms",
                        stats.pages,
                        stats.events,
                        stats.chapters,
                        shown.display(),
                        started.elapsed().as_millis()
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(BuildError::Site(d)) => {
                    out.discard();
                    eprintln!("{d}");
                    eprintln!("the build failed; {} was left as it was", shown.display());
                    Ok(ExitCode::FAILURE)
                }
                Err(BuildError::System(e)) => {
                    out.discard();
                    Err(e)
                }
            }
        }
    }
}
