//! Asking the user: the wizard talks to a `Prompter`, so the same questions can be answered by
//! a terminal (dialoguer), by accepting every default (`--yes`), or by a script in tests.

use crate::error::{Error, Result};
use dialoguer::console::{Key, Term};

/// Checks an answer as it is given: `Err` says why it is not accepted, and the question is
/// asked again.
pub type Check<'a> = &'a mut dyn FnMut(&str) -> std::result::Result<(), String>;

/// What the wizard needs from whoever answers it.
pub trait Prompter {
    /// Picks one of `items`; `default` is pre-selected.
    fn select(&mut self, prompt: &str, items: &[String], default: usize) -> Result<usize>;
    /// A line of text, pre-filled with `default`, asked again until `check` accepts it.
    fn input(&mut self, prompt: &str, default: &str, check: Check) -> Result<String>;
    /// Several of `items`, those marked in `chosen` pre-selected.
    fn choose_many(&mut self, prompt: &str, items: &[String], chosen: &[bool])
        -> Result<Vec<bool>>;
}

/// Accepts every default without asking (`dockgen init --yes`).
pub struct AcceptDefaults;

impl Prompter for AcceptDefaults {
    fn select(&mut self, _: &str, _: &[String], default: usize) -> Result<usize> {
        Ok(default)
    }
    fn input(&mut self, _: &str, default: &str, _: Check) -> Result<String> {
        Ok(default.to_string())
    }
    fn choose_many(&mut self, _: &str, _: &[String], chosen: &[bool]) -> Result<Vec<bool>> {
        Ok(chosen.to_vec())
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
    let _ = Term::stderr().show_cursor();
    let dialoguer::Error::IO(io) = e;
    Error::Cancelled(io.to_string())
}

fn escaped() -> Error {
    let _ = Term::stderr().show_cursor();
    Error::Cancelled("Escape".into())
}

impl Prompter for Terminal {
    fn select(&mut self, prompt: &str, items: &[String], default: usize) -> Result<usize> {
        dialoguer::Select::with_theme(&self.theme)
            .with_prompt(prompt)
            .items(items)
            .default(default)
            .interact_opt()
            .map_err(cancelled)?
            .ok_or_else(escaped)
    }

    /// A line editor of its own: dialoguer's ignores Escape, which must cancel here as it does
    /// in every other question.
    fn input(&mut self, prompt: &str, default: &str, check: Check) -> Result<String> {
        let term = Term::stderr();
        let io = |e: std::io::Error| Error::Cancelled(e.to_string());
        loop {
            let shown = match default.is_empty() {
                true => String::new(),
                false => format!(" [{default}]"),
            };
            term.write_str(&format!("{prompt}{shown}: ")).map_err(io)?;
            let mut typed = String::new();
            loop {
                match term.read_key().map_err(io)? {
                    Key::Enter => break,
                    Key::Escape => {
                        let _ = term.write_line("");
                        return Err(escaped());
                    }
                    Key::Backspace if typed.pop().is_some() => {
                        term.clear_chars(1).map_err(io)?;
                    }
                    Key::Char(c) if !c.is_control() => {
                        typed.push(c);
                        term.write_str(&c.to_string()).map_err(io)?;
                    }
                    _ => {}
                }
            }
            term.write_line("").map_err(io)?;
            // Enter on an empty line keeps the shown value.
            let reply = match typed.trim().is_empty() {
                true => default.to_string(),
                false => typed.trim().to_string(),
            };
            match check(&reply) {
                Ok(()) => return Ok(reply),
                Err(why) => term
                    .write_line(&format!(
                        "  not accepted: {why}; try again (Escape cancels)"
                    ))
                    .map_err(io)?,
            }
        }
    }

    fn choose_many(
        &mut self,
        prompt: &str,
        items: &[String],
        chosen: &[bool],
    ) -> Result<Vec<bool>> {
        let chosen = dialoguer::MultiSelect::with_theme(&self.theme)
            .with_prompt(prompt)
            .items(items)
            .defaults(chosen)
            .interact_opt()
            .map_err(cancelled)?
            .ok_or_else(escaped)?;
        Ok((0..items.len()).map(|i| chosen.contains(&i)).collect())
    }
}
