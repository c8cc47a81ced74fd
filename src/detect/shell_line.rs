//! Command lines written for a shell (npm scripts, Procfile lines): split into the commands they
//! chain, so a detector can take the one that is the server and name the rest, instead of
//! splitting `a; b && c` into one argument list that no process could run.

/// How a command is joined to the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Joiner {
    /// `;`: runs whatever the previous command did.
    Then,
    /// `&&`: runs when the previous command succeeded.
    And,
}

/// One command of a line, as words (quotes removed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub words: Vec<String>,
    pub joiner: Option<Joiner>,
    /// The text of the command as written.
    pub text: String,
}

/// Why a line cannot be reduced to a sequence of commands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotSequence {
    /// `|`, `||`, a single `&`, redirections or command substitution: the processes depend on
    /// the shell itself.
    NeedsShell(&'static str),
    /// Unbalanced quotes.
    Unparsable,
}

/// Splits `line` at the `;` and `&&` outside quotes.
pub fn split(line: &str) -> Result<Vec<Segment>, NotSequence> {
    let mut segments = Vec::new();
    let mut current = String::new();
    let mut joiner = None;
    let mut quote: Option<char> = None;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => {
                quote = None;
                current.push(c);
            }
            (Some('"'), '\\') | (None, '\\') => {
                current.push(c);
                if let Some(next) = chars.next() {
                    current.push(next);
                }
            }
            (Some(_), c) => current.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                current.push(c);
            }
            (None, '`') => return Err(NotSequence::NeedsShell("command substitution")),
            (None, '$') if chars.peek() == Some(&'(') => {
                return Err(NotSequence::NeedsShell("command substitution"))
            }
            (None, '<' | '>') => return Err(NotSequence::NeedsShell("a redirection")),
            (None, '|') => return Err(NotSequence::NeedsShell("a pipe or `||`")),
            (None, ';') => {
                segments.push(segment(&current, joiner)?);
                current.clear();
                joiner = Some(Joiner::Then);
            }
            (None, '&') if chars.peek() == Some(&'&') => {
                chars.next();
                segments.push(segment(&current, joiner)?);
                current.clear();
                joiner = Some(Joiner::And);
            }
            (None, '&') => return Err(NotSequence::NeedsShell("a background process (`&`)")),
            (None, c) => current.push(c),
        }
    }
    if quote.is_some() {
        return Err(NotSequence::Unparsable);
    }
    if !current.trim().is_empty() || segments.is_empty() {
        segments.push(segment(&current, joiner)?);
    }
    segments.retain(|s| !s.words.is_empty());
    Ok(segments)
}

fn segment(text: &str, joiner: Option<Joiner>) -> Result<Segment, NotSequence> {
    let words = shell_words::split(text).map_err(|_| NotSequence::Unparsable)?;
    Ok(Segment {
        words,
        joiner,
        text: text.trim().to_string(),
    })
}

/// The words after leading `VAR=value` assignments, and the assignments themselves.
pub fn without_assignments(words: &[String]) -> (&[String], &[String]) {
    let n = words
        .iter()
        .take_while(|w| {
            w.split_once('=').is_some_and(|(name, _)| {
                !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            })
        })
        .count();
    (&words[n..], &words[..n])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(segments: &[Segment]) -> Vec<Vec<&str>> {
        segments
            .iter()
            .map(|s| s.words.iter().map(String::as_str).collect())
            .collect()
    }

    #[test]
    fn splits_sequences_outside_quotes() {
        let s = split("flask db upgrade; flask translate compile; gunicorn microblog:app").unwrap();
        assert_eq!(
            words(&s),
            [
                vec!["flask", "db", "upgrade"],
                vec!["flask", "translate", "compile"],
                vec!["gunicorn", "microblog:app"]
            ]
        );
        assert_eq!(s[1].joiner, Some(Joiner::Then));
        let s = split("npm run build && node 'dist/a;b.js'").unwrap();
        assert_eq!(
            words(&s),
            [vec!["npm", "run", "build"], vec!["node", "dist/a;b.js"]]
        );
        assert_eq!(s[1].joiner, Some(Joiner::And));
        assert_eq!(
            words(&split("node server.js").unwrap()),
            [vec!["node", "server.js"]]
        );
    }

    #[test]
    fn shell_only_constructs_are_named() {
        assert_eq!(
            split("a | b"),
            Err(NotSequence::NeedsShell("a pipe or `||`"))
        );
        assert_eq!(
            split("a || b"),
            Err(NotSequence::NeedsShell("a pipe or `||`"))
        );
        assert_eq!(
            split("worker & web"),
            Err(NotSequence::NeedsShell("a background process (`&`)"))
        );
        assert_eq!(
            split("node $(which x)"),
            Err(NotSequence::NeedsShell("command substitution"))
        );
        assert_eq!(
            split("node a.js > log"),
            Err(NotSequence::NeedsShell("a redirection"))
        );
        assert_eq!(split("node 'a"), Err(NotSequence::Unparsable));
        // Inside quotes these are text.
        assert!(split("node -e 'a | b > c'").is_ok());
    }

    #[test]
    fn assignments_are_separated() {
        let w: Vec<String> = ["NODE_ENV=production", "node", "--x=1", "a.js"]
            .map(String::from)
            .to_vec();
        let (cmd, env) = without_assignments(&w);
        assert_eq!(cmd[0], "node");
        assert_eq!(env, ["NODE_ENV=production"]);
    }
}
