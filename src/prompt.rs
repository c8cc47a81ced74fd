//! Asking the user: the wizard talks to a `Prompter`, so the same questions can be answered by
//! a terminal (dialoguer), by accepting every default (`--yes`), or by a script in tests.

use crate::error::{Error, Result};

/// What the wizard needs from whoever answers it.
pub trait Prompter {
    /// Picks one of `items`; `default` is pre-selected.
    fn select(&mut self, prompt: &str, items: &[String], default: usize) -> Result<usize>;
    /// A line of text, pre-filled with `default`.
    fn input(&mut self, prompt: &str, default: &str) -> Result<String>;
    /// Several of `items`, all pre-selected.
    fn choose_many(&mut self, prompt: &str, items: &[String]) -> Result<Vec<bool>>;
}

/// Accepts every default without asking (`dockgen init --yes`).
pub struct AcceptDefaults;

impl Prompter for AcceptDefaults {
    fn select(&mut self, _: &str, _: &[String], default: usize) -> Result<usize> {
        Ok(default)
    }
    fn input(&mut self, _: &str, default: &str) -> Result<String> {
        Ok(default.to_string())
    }
    fn choose_many(&mut self, _: &str, items: &[String]) -> Result<Vec<bool>> {
        Ok(vec![true; items.len()])
    }
}

/// Questions on the terminal, with dialoguer.
pub struct Terminal {
    theme: dialoguer::theme::SimpleTheme,
}

impl Terminal {
    pub fn new() -> Terminal {
        Terminal {
            theme: dialoguer::theme::SimpleTheme,
        }
    }
}

impl Default for Terminal {
    fn default() -> Self {
        Terminal::new()
    }
}

/// Ctrl-C, Escape or a closed terminal: the wizard stops and writes nothing.
pub fn cancelled(e: dialoguer::Error) -> Error {
    let _ = dialoguer::console::Term::stderr().show_cursor();
    let dialoguer::Error::IO(io) = e;
    Error::Cancelled(io.to_string())
}

impl Prompter for Terminal {
    fn select(&mut self, prompt: &str, items: &[String], default: usize) -> Result<usize> {
        dialoguer::Select::with_theme(&self.theme)
            .with_prompt(prompt)
            .items(items)
            .default(default)
            .interact()
            .map_err(cancelled)
    }

    fn input(&mut self, prompt: &str, default: &str) -> Result<String> {
        let mut input = dialoguer::Input::<String>::with_theme(&self.theme);
        input = input.with_prompt(prompt).allow_empty(true);
        if !default.is_empty() {
            // Enter keeps the shown value; typing replaces it.
            input = input.default(default.to_string());
        }
        input.interact_text().map_err(cancelled)
    }

    fn choose_many(&mut self, prompt: &str, items: &[String]) -> Result<Vec<bool>> {
        let chosen = dialoguer::MultiSelect::with_theme(&self.theme)
            .with_prompt(prompt)
            .items(items)
            .defaults(&vec![true; items.len()])
            .interact()
            .map_err(cancelled)?;
        Ok((0..items.len()).map(|i| chosen.contains(&i)).collect())
    }
}
