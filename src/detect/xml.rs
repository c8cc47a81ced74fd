//! XML manifests (Maven's pom.xml, MSBuild project files) parsed with a real parser, with the
//! errors every reader of them gives: the file, line and column, and what was expected.

use crate::error::{Error, Position, Result};
use roxmltree::Document;

/// Parses `text` read from `path`; `expected` names the file kind for the error
/// (`a well-formed Maven pom.xml`).
pub fn parse<'a>(path: &str, text: &'a str, expected: &str) -> Result<Document<'a>> {
    Document::parse(text).map_err(|e| {
        let pos = e.pos();
        let message = e.to_string();
        let message = match message.rsplit_once(" at ") {
            Some((what, at)) if at.contains(':') => what.to_string(),
            _ => message,
        };
        Error::invalid_input(
            path,
            Some(Position {
                line: pos.row as usize,
                column: pos.col as usize,
            }),
            format!("{message}; expected {expected}"),
        )
    })
}

/// An error unless the document's root element is `<name>`.
pub fn expect_root(doc: &Document, path: &str, name: &str, what: &str) -> Result<()> {
    let root = doc.root_element();
    if root.tag_name().name() == name {
        return Ok(());
    }
    let p = doc.text_pos_at(root.range().start);
    Err(Error::invalid_input(
        path,
        Some(Position {
            line: p.row as usize,
            column: p.col as usize,
        }),
        format!(
            "the root element is <{}>; expected <{name}> ({what})",
            root.tag_name().name()
        ),
    ))
}
