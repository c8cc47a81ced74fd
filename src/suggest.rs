//! "Did you mean" for names the user typed: the closest known name by edit distance, when it
//! is close enough to be a typo (at most one edit in four characters, and never more than two).

/// `" (did you mean 'NAME'?)"` for the known name closest to `typed`, or an empty string.
pub fn did_you_mean<'a>(typed: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    let limit = (typed.chars().count() / 4).clamp(1, 2);
    known
        .into_iter()
        .map(|k| (distance(typed, k), k))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, k)| format!(" (did you mean '{k}'?)"))
        .unwrap_or_default()
}

/// Levenshtein distance, with a swap of two neighbours counted as one edit.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_names_are_suggested_and_far_ones_are_not() {
        let keys = ["port", "probe", "health", "version"];
        assert_eq!(did_you_mean("prot", keys), " (did you mean 'port'?)");
        assert_eq!(did_you_mean("helth", keys), " (did you mean 'health'?)");
        assert_eq!(did_you_mean("verison", keys), " (did you mean 'version'?)");
        assert_eq!(did_you_mean("colour", keys), "");
        assert_eq!(
            did_you_mean("nod", ["node", "go"]),
            " (did you mean 'node'?)"
        );
    }
}
