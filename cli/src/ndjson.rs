//! NDJSON (newline-delimited JSON): one document per line.
//!
//! Lines end at `\n` (a `\r` before it is whitespace to the parser); lines of
//! only spaces, tabs and `\r` are skipped. Used by `bench`, which times
//! every contender on the same documents one at a time (`validate --ndjson`
//! uses the library's document stream).

/// One line holding a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line<'a> {
    /// 1-based line number in the input.
    pub number: usize,
    /// The line's bytes, without its `\n`.
    pub text: &'a [u8],
}

/// The non-blank lines of `input`, in order.
pub fn documents(input: &[u8]) -> impl Iterator<Item = Line<'_>> {
    // A final line break ends the last line; it does not start an empty one.
    let input = input.strip_suffix(b"\n").unwrap_or(input);
    input
        .split(|&b| b == b'\n')
        .enumerate()
        .map(|(index, text)| Line {
            number: index + 1,
            text,
        })
        .filter(|line| !line.text.iter().all(|b| b" \t\r".contains(b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_blank_lines_and_numbers_the_rest() {
        let lines: Vec<(usize, &[u8])> = documents(b"1\n\n \t\r\n[2]\r\n3")
            .map(|l| (l.number, l.text))
            .collect();
        assert_eq!(lines, [(1, &b"1"[..]), (4, &b"[2]\r"[..]), (5, &b"3"[..])]);
        assert_eq!(documents(b"1\n").count(), 1);
        assert_eq!(documents(b"\n\n").count(), 0);
    }
}
