//! `dockgen completions SHELL` and `dockgen man`: generated from the clap definitions, so they
//! never drift from the real command line.

use crate::cli::Cli;
use crate::error::{Error, Result};
use crate::printer;
use clap::CommandFactory;

pub fn completions(shell: clap_complete::Shell) -> Result<i32> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "dockgen", &mut script);
    printer::raw(&script);
    Ok(0)
}

pub fn man() -> Result<i32> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut page)
        .map_err(|e| Error::io("stdout", "cannot render the manual page", e))?;
    printer::raw(&page);
    Ok(0)
}
