//! The engine every stream runs on: it cuts the data into regions, indexes
//! each region once (UTF-8 validation and stage 1), builds one document at a
//! time from the region's index, and turns what goes wrong into errors with
//! stream positions. It owns no input: each call gets the data seen so far,
//! and says when it needs more ([`Step::NeedMore`]), so the same engine serves
//! a buffer, an `io::Read` window and the chunks of a parallel parse.
//!
//! See the [module docs](super) for the rules; the comments here say how
//! they are met.

use super::{Framing, StreamOptions};
use crate::arch::{Job, Kernel, Supported, dispatch};
use crate::document::{Document, Kind};
use crate::error::{Error, ErrorKind, first_invalid_utf8};
use crate::parser::{Parser, parse_into};
use crate::stage1::IndexJob;
use crate::stage2::{self, Buffers, Frame, is_delimiter};
use alloc::vec::Vec;

/// The UTF-8 byte order mark, skipped at the start of a stream.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The bytes a window may hold beyond the largest document: its line end
/// (`Lines`), or what a region needs to decide (`Concatenated`: a byte past
/// the document, and a character that the region's cut must not split).
pub(crate) const SLACK: usize = 16;

/// The size of the first region after one with invalid UTF-8 or a raw
/// control character (each such problem costs a new region from the next
/// line, so bad data is indexed in small regions, which double while clean).
const MIN_REGION: usize = 4 << 10;

/// What a call to [`Engine::step`] produced.
#[derive(Debug)]
pub(crate) enum Step {
    /// A document whose text is the stream's bytes `start..end` and whose
    /// tape is in the parser's buffers; see [`Engine::text`].
    Document { start: usize, end: usize },
    /// A document failed; the stream goes on after it.
    Error(Error),
    /// More input is needed (never asked for once the input has ended).
    NeedMore(#[cfg_attr(not(feature = "std"), allow(dead_code))] Need),
    /// The stream has ended.
    End,
}

/// What the engine needs before it can go on (only a reader's stream ever
/// needs more: the others have all their input from the start).
#[cfg_attr(not(feature = "std"), allow(dead_code))]
#[derive(Debug, Clone, Copy)]
pub(crate) struct Need {
    /// Stream offset of the first byte still needed: the data before it
    /// may be discarded.
    pub(crate) keep_from: usize,
    /// Read until the data reaches this stream offset...
    pub(crate) until: usize,
    /// ...or, if set, until a line end (`\n`) arrives.
    pub(crate) newline: bool,
}

/// The line of a stream offset, counted lazily: the line number and line
/// start of one offset (the checkpoint), moved forward over the data when a
/// position is needed or the data is about to be discarded, so every byte is
/// counted once.
#[derive(Debug, Clone, Copy)]
struct LineCounter {
    /// The checkpoint's stream offset.
    offset: usize,
    /// Its 1-based line.
    line: usize,
    /// Stream offset where that line starts.
    line_start: usize,
}

impl LineCounter {
    fn at(offset: usize) -> LineCounter {
        LineCounter {
            offset,
            line: 1,
            line_start: offset,
        }
    }

    /// Moves the checkpoint forward to `to` (a no-op if it is there already),
    /// counting the line ends in `data`, whose first byte is at stream offset
    /// `base`.
    fn advance(&mut self, data: &[u8], base: usize, to: usize) {
        if to <= self.offset {
            return;
        }
        let from = self.offset.max(base);
        let end = to.saturating_sub(base).min(data.len());
        let bytes = data.get(from - base..end).unwrap_or_default();
        let mut last = None;
        for at in memchr::memchr_iter(b'\n', bytes) {
            self.line += 1;
            last = Some(at);
        }
        if let Some(at) = last {
            self.line_start = from + at + 1;
        }
        self.offset = to;
    }

    /// The 1-based line and column of stream offset `at`.
    fn position(&mut self, data: &[u8], base: usize, at: usize) -> (usize, usize) {
        if at >= self.offset {
            self.advance(data, base, at);
            return (self.line, at - self.line_start + 1);
        }
        // Behind the checkpoint (positions are asked for in stream order, so
        // this is only a safety net): count back over what is still in `data`.
        let from = at.max(base).min(base + data.len());
        let to = self.offset.clamp(from, base + data.len());
        let bytes = &data[from - base..to - base];
        let line = self.line - memchr::memchr_iter(b'\n', bytes).count();
        let line_start = match memchr::memrchr(b'\n', &data[..from - base]) {
            Some(newline) => base + newline + 1,
            None if line == self.line => self.line_start,
            None => base,
        };
        (line.max(1), at.saturating_sub(line_start) + 1)
    }
}

/// The region being parsed: bytes indexed together, their structural index
/// in the parser's `index` (offsets from `start`).
#[derive(Debug, Clone, Copy)]
struct Region {
    /// Stream offset of the region's first byte.
    start: usize,
    /// Stream offset just past it: a line end, or the end of the stream.
    end: usize,
    /// Whether `end` is the end of the stream.
    last: bool,
    /// The first invalid UTF-8 byte or raw control character in a string,
    /// if any: stage 1 and validation over a region report only the first.
    problem: Option<(ErrorKind, usize)>,
    /// Everything before this stream offset is known good: valid UTF-8 and
    /// exactly indexed. `end` without a problem; with one, the start of its
    /// line (`Lines`) or the problem itself (`Concatenated`).
    trusted: usize,
    /// The number of index entries before `trusted`.
    tokens: usize,
    /// The next index entry to build from.
    next: usize,
}

/// The state of a stream; see the module docs.
#[derive(Debug, Clone)]
pub(crate) struct Engine {
    options: StreamOptions,
    backend: Supported,
    /// Stream offset where parsing goes on: a line start or the end of the
    /// last document.
    pos: usize,
    region: Option<Region>,
    /// The size of the next region.
    region_size: usize,
    /// Whether the next region must have exactly `region_size` bytes (or
    /// reach the end): it is regrown for a document that did not fit.
    exact: bool,
    /// Skipping input after an error: the stream resumes after the first
    /// line end at or after this offset.
    skip_from: Option<usize>,
    /// Skipping a line whose first `max_document_size + 2` bytes are
    /// whitespace (`Lines`), which started at this offset: a blank line if
    /// only whitespace follows up to its line end, else a document too large.
    long_blank: Option<usize>,
    /// Whether a byte order mark may still come (at the start of a stream).
    bom_pending: bool,
    lines: LineCounter,
    /// The stream bytes last checked to be UTF-8 (a region's trusted part).
    validated: (usize, usize),
    ended: bool,
}

impl Engine {
    /// An engine for a stream that starts at offset 0.
    pub(crate) fn new(options: StreamOptions) -> Engine {
        let mut engine = Engine::at(options, 0);
        engine.bom_pending = true;
        engine
    }

    /// An engine for the part of a stream from `start`, a line start, with
    /// lines counted from 1 there (for the chunks of a parallel parse).
    pub(crate) fn at(options: StreamOptions, start: usize) -> Engine {
        let options = options.clamped();
        Engine {
            backend: Supported::resolve(options.parse.backend()),
            pos: start,
            region: None,
            region_size: options.window_size,
            exact: false,
            skip_from: None,
            long_blank: None,
            bom_pending: false,
            lines: LineCounter::at(start),
            validated: (0, 0),
            ended: false,
            options,
        }
    }

    /// The options (as clamped to the supported ranges).
    pub(crate) fn options(&self) -> StreamOptions {
        self.options
    }

    /// The most input any stream with these options holds at once: a
    /// window, or the longest document (and its line end).
    #[cfg_attr(not(feature = "std"), allow(dead_code))]
    pub(crate) fn window_limit(&self) -> usize {
        self.options
            .window_size
            .max(self.options.max_document_size + SLACK)
    }

    /// Ends the stream: every later step is [`Step::End`].
    pub(crate) fn end(&mut self) {
        self.ended = true;
        self.region = None;
    }

    /// Counts the lines of `data` before `keep_from`, which the caller is
    /// about to discard (`data` starts at stream offset `base`).
    #[cfg_attr(not(feature = "std"), allow(dead_code))]
    pub(crate) fn forget(&mut self, data: &[u8], base: usize, keep_from: usize) {
        self.lines.advance(data, base, keep_from);
    }

    /// Moves `error`, located in a document that starts at stream offset
    /// `start`, to its position in the stream.
    pub(crate) fn locate(&mut self, error: Error, data: &[u8], base: usize, start: usize) -> Error {
        let (line, column) = self.lines.position(data, base, start);
        error.rebased(start, line, column)
    }

    /// An error of `kind` at stream offset `at`.
    fn error_at(&mut self, kind: ErrorKind, data: &[u8], base: usize, at: usize) -> Error {
        let rest = data.get(at.saturating_sub(base)..).unwrap_or_default();
        let error = Error::at(kind, rest, 0);
        self.locate(error, data, base, at)
    }

    /// A [`ErrorKind::DocumentTooLarge`] error for the document at `at`.
    fn too_large(&mut self, data: &[u8], base: usize, at: usize) -> Error {
        let error = Error::document_too_large(self.options.max_document_size);
        self.locate(error, data, base, at)
    }

    /// The text of a document from [`Step::Document`]: the stream's bytes
    /// `start..end`, found in `data` (which starts at stream offset `base`).
    ///
    /// `data` must hold the same bytes at the same stream offsets as in the
    /// [`step`](Engine::step) that returned the document; every caller
    /// passes the data of that step, or the same stream bytes moved within a
    /// buffer. `None` never happens for such a document.
    pub(crate) fn text<'d>(
        &self,
        data: &'d [u8],
        base: usize,
        start: usize,
        end: usize,
    ) -> Option<&'d str> {
        let bytes = data.get(start.checked_sub(base)?..end.checked_sub(base)?)?;
        let (valid_from, valid_to) = self.validated;
        let boundary = |at: usize| {
            data.get(at - base)
                .is_none_or(|&b| !(0x80..0xC0).contains(&b))
        };
        if valid_from <= start && end <= valid_to && boundary(start) && boundary(end) {
            // SAFETY: the stream bytes `valid_from..valid_to` were checked to
            // be UTF-8 (`open_region` validated them with simdutf8 and
            // recorded the range), and `data` holds the same stream bytes (the
            // caller's contract above). `start..end` lies inside that range and
            // both ends are char boundaries (not continuation bytes, or the
            // end of `data`), so the slice is UTF-8 too.
            Some(unsafe { core::str::from_utf8_unchecked(bytes) })
        } else {
            // Not from a validated region (a line parsed alone): check it.
            core::str::from_utf8(bytes).ok()
        }
    }

    /// The next step of the stream, given `data`, the stream's bytes from
    /// offset `base` (everything from the last [`Need::keep_from`] on), and
    /// whether the stream ends with them. A [`Step::Document`]'s tape is in
    /// `parser`'s buffers.
    pub(crate) fn step(
        &mut self,
        parser: &mut Parser,
        data: &[u8],
        base: usize,
        at_eof: bool,
    ) -> Step {
        loop {
            if self.ended {
                return Step::End;
            }
            let avail = base + data.len();
            if self.bom_pending {
                let head = &data[self.pos.saturating_sub(base).min(data.len())..];
                let head = &head[..head.len().min(BOM.len())];
                if head.len() < BOM.len() && BOM.starts_with(head) && !at_eof {
                    return self.need(self.pos, self.pos + BOM.len(), true);
                }
                self.bom_pending = false;
                if head == BOM {
                    self.pos += BOM.len();
                    self.lines = LineCounter::at(self.pos);
                }
            }
            if let Some(from) = self.skip_from {
                let from = from.clamp(base, avail);
                match memchr::memchr(b'\n', &data[from - base..]) {
                    Some(newline) => {
                        self.pos = from + newline + 1;
                        self.skip_from = None;
                    }
                    None if at_eof => {
                        self.end();
                        return Step::End;
                    }
                    None => {
                        self.skip_from = Some(avail);
                        return self.need(avail, avail + self.options.window_size, true);
                    }
                }
            }
            if let Some(line_start) = self.long_blank {
                let from = self.pos.clamp(base, avail);
                let rest = &data[from - base..];
                match rest
                    .iter()
                    .position(|&b| !matches!(b, b' ' | b'\t' | b'\r'))
                {
                    Some(at) if rest[at] == b'\n' => {
                        self.pos = from + at + 1;
                        self.long_blank = None;
                    }
                    Some(at) => {
                        self.long_blank = None;
                        self.skip_from = Some(from + at);
                        return Step::Error(self.too_large(data, base, line_start));
                    }
                    None if at_eof => {
                        self.end();
                        return Step::End;
                    }
                    None => {
                        self.pos = avail;
                        return self.need(avail, avail + self.options.window_size, true);
                    }
                }
                continue;
            }
            if self.region.is_none() {
                match self.open_region(parser, data, base, at_eof) {
                    Ok(()) => {}
                    Err(Some(step)) => return step,
                    Err(None) => continue,
                }
            }
            let step = match self.options.framing {
                Framing::Lines => self.next_line(parser, data, base),
                Framing::Concatenated => self.next_value(parser, data, base),
            };
            if let Some(step) = step {
                return step;
            }
        }
    }

    fn need(&self, keep_from: usize, until: usize, newline: bool) -> Step {
        Step::NeedMore(Need {
            keep_from,
            until,
            newline,
        })
    }

    /// Cuts the next region at `pos`, validates and indexes it. `Err` is
    /// what to return instead (more input needed, the end, or a line too
    /// long to be a document), or `None` to look again (the state changed).
    fn open_region(
        &mut self,
        parser: &mut Parser,
        data: &[u8],
        base: usize,
        at_eof: bool,
    ) -> Result<(), Option<Step>> {
        let start = self.pos.max(base);
        self.pos = start;
        let avail = base + data.len();
        if start >= avail {
            if at_eof {
                self.end();
                return Err(Some(Step::End));
            }
            return Err(Some(self.need(
                start,
                start + self.options.window_size,
                true,
            )));
        }
        let (end, last) = match self.options.framing {
            Framing::Lines => self.cut_lines(data, base, start, at_eof)?,
            Framing::Concatenated => self.cut_concatenated(data, base, start, at_eof)?,
        };
        self.exact = false;
        let bytes = &data[start - base..end - base];

        let (index, _, _) = parser.parts();
        index.clear();
        let scanned = dispatch(
            self.backend,
            IndexJob {
                input: bytes,
                index,
                line_ends: self.options.framing == Framing::Lines,
            },
        );
        let control = scanned
            .first_control
            .map(|at| (ErrorKind::ControlCharacterInString, start + at));
        // Stage 1 checked UTF-8; the detailed check only locates a problem.
        let invalid = if scanned.utf8 {
            None
        } else {
            first_invalid_utf8(bytes).map(|at| (ErrorKind::InvalidUtf8, start + at))
        };
        let problem = match (invalid, control) {
            (Some(a), Some(b)) => Some(if a.1 <= b.1 { a } else { b }),
            (a, b) => a.or(b),
        };
        let trusted = match (problem, self.options.framing) {
            (None, _) => end,
            (Some((_, at)), Framing::Concatenated) => at,
            (Some((_, at)), Framing::Lines) => line_start(data, base, start, at),
        };
        let valid_to = invalid.map_or(end, |(_, at)| at);
        self.validated = (start, valid_to);
        let tokens = index.partition_point(|&entry| (entry as usize) < trusted - start);
        self.region = Some(Region {
            start,
            end,
            last: last && at_eof,
            problem,
            trusted,
            tokens,
            next: 0,
        });
        Ok(())
    }

    /// Where a `Lines` region from `start` ends: after the last line end
    /// within the region size, or after the first line if that is longer.
    fn cut_lines(
        &mut self,
        data: &[u8],
        base: usize,
        start: usize,
        at_eof: bool,
    ) -> Result<(usize, bool), Option<Step>> {
        let avail = base + data.len();
        let limit = start.saturating_add(self.region_size);
        if at_eof && limit >= avail {
            return Ok((avail, true));
        }
        let stop = limit.min(avail);
        if let Some(newline) = memchr::memrchr(b'\n', &data[start - base..stop - base]) {
            return Ok((start + newline + 1, false));
        }
        // The first line is longer than the region: the region is that line,
        // if it is no longer than a document may be (with its line end).
        let longest = self.options.max_document_size + 2;
        let search_to = start.saturating_add(longest).min(avail).max(stop);
        if let Some(newline) = memchr::memchr(b'\n', &data[stop - base..search_to - base]) {
            return Ok((stop + newline + 1, false));
        }
        if search_to - start >= longest {
            let head = &data[start - base..search_to - base];
            if head.iter().all(|&b| matches!(b, b' ' | b'\t' | b'\r')) {
                // Only whitespace so far: maybe a (long) blank line.
                self.long_blank = Some(start);
                self.pos = search_to;
                return Err(None);
            }
            let error = self.too_large(data, base, start);
            self.skip_from = Some(start);
            return Err(Some(Step::Error(error)));
        }
        if at_eof {
            return Ok((avail, true));
        }
        Err(Some(self.need(start, start + longest, true)))
    }

    /// Where a `Concatenated` region from `start` ends: after the last line
    /// end in the second half of the region size, else at the size (where a
    /// document may be cut: [`next_value`](Engine::next_value) notices).
    fn cut_concatenated(
        &mut self,
        data: &[u8],
        base: usize,
        start: usize,
        at_eof: bool,
    ) -> Result<(usize, bool), Option<Step>> {
        let avail = base + data.len();
        let limit = start.saturating_add(self.region_size);
        if at_eof && limit >= avail {
            return Ok((avail, true));
        }
        if limit > avail {
            // Less than a region: what ends at a line end, else wait for more.
            if !self.exact
                && let Some(newline) = memchr::memrchr(b'\n', &data[start - base..])
            {
                return Ok((start + newline + 1, false));
            }
            return Err(Some(self.need(start, limit, !self.exact)));
        }
        if !self.exact {
            let from = start + self.region_size / 2;
            if let Some(newline) = memchr::memrchr(b'\n', &data[from - base..limit - base]) {
                return Ok((from + newline + 1, false));
            }
        }
        // No line end: cut at the size, but not inside a character (which
        // would look like invalid UTF-8): before it, or after it if it
        // starts the region.
        match split_character(data, base, start, limit) {
            None => Ok((limit, false)),
            Some((lead, _)) if lead > start => Ok((lead, false)),
            Some((lead, len)) if lead + len <= avail => Ok((lead + len, false)),
            Some(_) if at_eof => Ok((avail, true)),
            Some((lead, len)) => Err(Some(self.need(start, lead + len, false))),
        }
    }

    /// Drops the region; the next one is smaller after a problem and grows
    /// back to the window size while the data is clean.
    fn close_region(&mut self) {
        if let Some(region) = self.region.take() {
            self.region_size = if region.problem.is_some() {
                MIN_REGION.min(self.options.window_size)
            } else {
                self.region_size
                    .saturating_mul(2)
                    .min(self.options.window_size)
            };
        }
    }

    /// The next document of a `Lines` region, or `None` when the region is
    /// done.
    fn next_line(&mut self, parser: &mut Parser, data: &[u8], base: usize) -> Option<Step> {
        let mut region = self.region?;
        // Blank lines: nothing but their line ends, which are tokens here.
        let (index, _, _) = parser.parts();
        while let Some(&entry) = index[..region.tokens].get(region.next) {
            let at = region.start + entry as usize;
            if data[at - base] != b'\n' {
                break;
            }
            self.pos = at + 1;
            region.next += 1;
        }
        self.region = Some(region);
        if region.next < region.tokens {
            // A line before any problem: its tokens are in the index.
            return Some(match self.line_in_region(parser, data, base, region) {
                Some(document) => document,
                None => self.line_alone(parser, data, base, region),
            });
        }
        let (index, buffers, stack) = parser.parts();
        let Some((_, at)) = region.problem else {
            // Only blank lines are left.
            self.pos = self.pos.max(region.end);
            self.close_region();
            return None;
        };
        // The line with the problem: parse it alone, which finds its first
        // error exactly as `parse` would. The region ends here; the next one
        // starts on the next line.
        let line_start = region.trusted;
        let line_end = memchr::memchr(b'\n', &data[at - base..region.end - base])
            .map_or(region.end, |newline| at + newline);
        let text_end = strip_cr(data, base, line_start, line_end);
        self.pos = (line_end + 1).min(region.end);
        self.close_region();
        if text_end - line_start > self.options.max_document_size {
            return Some(Step::Error(self.too_large(data, base, line_start)));
        }
        let bytes = &data[line_start - base..text_end - base];
        Some(
            match parse_into(bytes, self.options.parse, index, buffers, stack) {
                Ok(_) => Step::Document {
                    start: line_start,
                    end: text_end,
                },
                Err(error) => Step::Error(self.locate(error, data, base, line_start)),
            },
        )
    }

    /// The line at `self.pos` built straight from the region's index, its
    /// text running on to the region's trusted end: a document if the line
    /// holds one complete value followed by its line end (`None` otherwise).
    ///
    /// Such a document is exactly what parsing the line alone gives: stage 2
    /// reads no byte of an accepted value outside the line (the line's
    /// strings close before its end, where a `\n` token would stop any
    /// value running on), and the line's tokens are the same. Every other
    /// outcome is left to [`line_alone`](Engine::line_alone), which finds
    /// the error `parse` would: this saves searching each line's bytes for
    /// its end and its tokens.
    fn line_in_region(
        &mut self,
        parser: &mut Parser,
        data: &[u8],
        base: usize,
        region: Region,
    ) -> Option<Step> {
        let (index, buffers, stack) = parser.parts();
        let index = &index[..region.tokens];
        let line_start = self.pos;
        let from = region.next;
        let job = BuildValue {
            text: self.text(data, base, line_start, region.trusted)?,
            index: &index[from..],
            base: (line_start - region.start) as u32,
            buffers,
            stack,
            max_depth: self.options.parse.max_depth,
        };
        let after = from + dispatch(self.backend, job).ok()?;
        let line_end = match index.get(after) {
            None => region.end,
            Some(&entry) => {
                let at = region.start + entry as usize;
                if data[at - base] != b'\n' {
                    return None;
                }
                at
            }
        };
        let text_end = strip_cr(data, base, line_start, line_end);
        if text_end - line_start > self.options.max_document_size {
            return None;
        }
        if let Some(region) = &mut self.region {
            region.next = (after + 1).min(region.tokens);
        }
        self.pos = (line_end + 1).min(region.end);
        Some(Step::Document {
            start: line_start,
            end: text_end,
        })
    }

    /// The line at `self.pos` built alone, from its own tokens and text: its
    /// document, or the error `parse` gives it.
    fn line_alone(
        &mut self,
        parser: &mut Parser,
        data: &[u8],
        base: usize,
        region: Region,
    ) -> Step {
        let (index, buffers, stack) = parser.parts();
        let line_start = self.pos;
        let first = region.start + index[region.next] as usize;
        let line_end = memchr::memchr(b'\n', &data[first - base..region.end - base])
            .map_or(region.end, |newline| first + newline);
        let text_end = strip_cr(data, base, line_start, line_end);
        let from = region.next;
        let to = from
            + count_below(
                &index[from..region.tokens],
                (line_end - region.start) as u32,
            );
        if let Some(region) = &mut self.region {
            region.next = to;
        }
        self.pos = (line_end + 1).min(region.end);
        if text_end - line_start > self.options.max_document_size {
            return Step::Error(self.too_large(data, base, line_start));
        }
        let Some(text) = self.text(data, base, line_start, text_end) else {
            let error = self.error_at(ErrorKind::InvalidUtf8, data, base, line_start);
            return Step::Error(error);
        };
        let job = BuildValue {
            text,
            index: &index[from..to],
            base: (line_start - region.start) as u32,
            buffers,
            stack,
            max_depth: self.options.parse.max_depth,
        };
        let result = match dispatch(self.backend, job) {
            Ok(taken) if from + taken == to => Ok(()),
            Ok(taken) => {
                let at = region.start + index[from + taken] as usize - line_start;
                Err(Error::at(
                    ErrorKind::TrailingCharacters,
                    text.as_bytes(),
                    at,
                ))
            }
            Err(error) => Err(error),
        };
        match result {
            Ok(()) => Step::Document {
                start: line_start,
                end: text_end,
            },
            Err(error) => Step::Error(self.locate(error, data, base, line_start)),
        }
    }

    /// The next document of a `Concatenated` region, or `None` when the
    /// region is done (or must be cut again, larger or after a document).
    fn next_value(&mut self, parser: &mut Parser, data: &[u8], base: usize) -> Option<Step> {
        let region = self.region?;
        let (index, buffers, stack) = parser.parts();
        if region.next >= region.tokens {
            if let Some((kind, at)) = region.problem {
                if at >= self.pos {
                    // The problem is at the start of a document (an invalid
                    // byte where a value should start).
                    let step = self.problem(index, kind, data, base, at, at);
                    self.close_region();
                    return Some(step);
                }
            } else {
                self.pos = self.pos.max(region.end);
            }
            self.close_region();
            return None;
        }
        let from = region.next;
        let start = region.start + index[from] as usize;
        let Some(text) = self.text(data, base, start, region.trusted) else {
            self.close_region();
            self.skip_from = Some(start);
            let error = self.error_at(ErrorKind::InvalidUtf8, data, base, start);
            return Some(Step::Error(error));
        };
        let job = BuildValue {
            text,
            index: &index[from..region.tokens],
            base: (start - region.start) as u32,
            buffers,
            stack,
            max_depth: self.options.parse.max_depth,
        };
        let result = dispatch(self.backend, job);
        // The text ends at the region's trusted end: the cut, or the problem.
        // Stage 2 reads no byte past a token's end before the next token
        // starts, so only an outcome that ran into the end of the text can
        // change with more of it: a value that reaches the end, the end of
        // the tokens or of a string, a number that ends there, or a surrogate
        // pair check that wanted bytes past the end (a problem byte is never
        // the `\u` it wanted).
        let at_end = region.last && region.problem.is_none();
        let max = self.options.max_document_size;
        match result {
            Ok(taken) => {
                let doc = Document::borrowed(text, buffers);
                let end = start + doc.root().raw_json().len();
                let unquoted = matches!(doc.root().kind(), Kind::Number | Kind::Bool | Kind::Null);
                if end == region.trusted && !at_end {
                    match region.problem {
                        // A number or literal that runs into an invalid byte.
                        Some((kind, at)) if unquoted => {
                            return Some(self.problem(index, kind, data, base, start, at));
                        }
                        Some(_) => {}
                        None => return self.regrow(data, base, start),
                    }
                }
                if end - start > max {
                    return Some(self.document_too_large(data, base, start));
                }
                if let Some(region) = &mut self.region {
                    region.next = from + taken;
                }
                self.pos = end;
                Some(Step::Document { start, end })
            }
            Err(error) => {
                let error = self.locate(error, data, base, start);
                // Whether the outcome depends on the end of the text.
                let ran_out = match error.kind() {
                    ErrorKind::UnexpectedEnd | ErrorKind::UnterminatedString => true,
                    ErrorKind::LoneSurrogate => {
                        region.problem.is_none() && error.offset() + 8 > region.trusted
                    }
                    // The range is checked at the number's end, which may be
                    // the end of the text (past it, a byte that cannot follow
                    // a number would make it invalid instead).
                    ErrorKind::NumberOutOfRange => {
                        let number = &data[error.offset() - base..region.trusted - base];
                        !number.iter().any(|&b| is_delimiter(b))
                    }
                    _ => false,
                };
                match region.problem {
                    // The value runs into the problem, which is its first error.
                    Some((kind, at)) if ran_out => {
                        Some(self.problem(index, kind, data, base, start, at))
                    }
                    None if ran_out && !at_end => self.regrow(data, base, start),
                    _ => {
                        // How far the parse read to fail: the end of the
                        // stream, if it ran out, else the error.
                        let read_to = if ran_out {
                            region.trusted
                        } else {
                            error.offset()
                        };
                        if read_to - start > max {
                            return Some(self.document_too_large(data, base, start));
                        }
                        self.resync(index, data, base, error.offset());
                        Some(Step::Error(error))
                    }
                }
            }
        }
    }

    /// The error for the document at `start` that runs into the region's
    /// problem at `at` (unless that is past the document size limit).
    fn problem(
        &mut self,
        index: &[u32],
        kind: ErrorKind,
        data: &[u8],
        base: usize,
        start: usize,
        at: usize,
    ) -> Step {
        if at - start > self.options.max_document_size {
            return self.document_too_large(data, base, start);
        }
        let error = self.error_at(kind, data, base, at);
        self.resync(index, data, base, at);
        Step::Error(error)
    }

    /// The document at `start` does not fit the region: a new region from
    /// `start`, twice as large if the document started the region, unless the
    /// document is already longer than it may be.
    fn regrow(&mut self, data: &[u8], base: usize, start: usize) -> Option<Step> {
        let region = self.region?;
        let span = region.end - start;
        // Its outcome is at least `span - 8` bytes in (a surrogate pair check
        // looks 8 bytes ahead): beyond the limit, whatever it is.
        if span > self.options.max_document_size + 8 {
            return Some(self.document_too_large(data, base, start));
        }
        let size = self.region_size;
        self.close_region();
        self.pos = start;
        if start == region.start {
            // At the largest size, a cut backs off at most 3 bytes (not to
            // split a character), so the region still holds more than a
            // document may: the document either fits or is too large.
            self.region_size = size
                .max(span)
                .saturating_mul(2)
                .min(self.options.max_document_size + SLACK);
            self.exact = true;
        }
        None
    }

    /// [`ErrorKind::DocumentTooLarge`] for the document at `start`; the
    /// stream resumes after the first line end past the limit.
    fn document_too_large(&mut self, data: &[u8], base: usize, start: usize) -> Step {
        let error = self.too_large(data, base, start);
        self.close_region();
        self.skip_from = Some(start + self.options.max_document_size);
        Step::Error(error)
    }

    /// After an error at `at` (`Concatenated`): the stream resumes after the
    /// first line end at or after it, in the same region if that is still
    /// in its trusted part.
    fn resync(&mut self, index: &[u32], data: &[u8], base: usize, at: usize) {
        let Some(region) = self.region else {
            self.skip_from = Some(at);
            return;
        };
        let from = at.clamp(region.start, region.end);
        let newline = memchr::memchr(b'\n', &data[from - base..region.end - base]);
        match newline {
            Some(newline) if from + newline + 1 < region.trusted => {
                self.pos = from + newline + 1;
                let bound = (self.pos - region.start) as u32;
                let skipped = count_below(&index[region.next..region.tokens], bound);
                if let Some(region) = &mut self.region {
                    region.next += skipped;
                }
            }
            _ => {
                self.close_region();
                self.skip_from = Some(at);
            }
        }
    }
}

/// Stream offset of the start of the line holding `at`, not before `floor`.
fn line_start(data: &[u8], base: usize, floor: usize, at: usize) -> usize {
    memchr::memrchr(b'\n', &data[floor - base..at - base])
        .map_or(floor, |newline| floor + newline + 1)
}

/// The character that a cut at `end` would split, as its start and length:
/// the last character starting in `start..end`, if it is longer than the
/// bytes left before `end` (judged by its lead byte; invalid bytes are left
/// for validation to find).
fn split_character(data: &[u8], base: usize, start: usize, end: usize) -> Option<(usize, usize)> {
    let from = end.saturating_sub(4).max(start);
    let lead = (from..end)
        .rev()
        .find(|&at| !(0x80..0xC0).contains(&data[at - base]))?;
    let len = match data[lead - base] {
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xFF => 4,
        _ => 1,
    };
    (lead + len > end).then_some((lead, len))
}

/// The end of a line's text: `end`, less a `\r` just before it.
fn strip_cr(data: &[u8], base: usize, start: usize, end: usize) -> usize {
    if end > start && data[end - 1 - base] == b'\r' {
        end - 1
    } else {
        end
    }
}

/// The number of leading entries of the sorted `entries` below `bound`,
/// found by galloping from the front: O(log n) in the answer, which is the
/// number of tokens on one line.
fn count_below(entries: &[u32], bound: u32) -> usize {
    let (mut below, mut step) = (0, 1);
    while below + step <= entries.len() && entries[below + step - 1] < bound {
        below += step;
        step *= 2;
    }
    let upto = (below + step).min(entries.len());
    below + entries[below..upto].partition_point(|&entry| entry < bound)
}

/// Stage 2 for one document of a region, run with one backend's kernel.
struct BuildValue<'a> {
    text: &'a str,
    index: &'a [u32],
    base: u32,
    buffers: &'a mut Buffers,
    stack: &'a mut Vec<Frame>,
    max_depth: usize,
}

impl Job for BuildValue<'_> {
    type Output = Result<usize, Error>;

    #[inline(always)]
    fn run<K: Kernel>(self, kernel: K) -> Result<usize, Error> {
        stage2::build_value(
            kernel,
            self.text,
            self.index,
            self.base,
            self.buffers,
            self.stack,
            self.max_depth,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;

    #[test]
    fn count_below_agrees_with_partition_point() {
        let entries: Vec<u32> = (0..300).map(|i| i * 3 + i % 2).collect();
        for len in [0, 1, 2, 3, 7, 64, 300] {
            let entries = &entries[..len];
            for bound in 0..1000 {
                let want = entries.partition_point(|&e| e < bound);
                assert_eq!(
                    count_below(entries, bound),
                    want,
                    "{len} entries, bound {bound}"
                );
            }
        }
    }

    #[test]
    fn cuts_do_not_split_characters() {
        let data = "a\u{e9}\u{65e5}\u{1f389}".as_bytes(); // 1 + 2 + 3 + 4 bytes
        let splits: Vec<Option<(usize, usize)>> = (1..=data.len())
            .map(|end| split_character(data, 0, 0, end))
            .collect();
        assert_eq!(
            splits,
            [
                None,
                Some((1, 2)),
                None,
                Some((3, 3)),
                Some((3, 3)),
                None,
                Some((6, 4)),
                Some((6, 4)),
                Some((6, 4)),
                None,
            ]
        );
        // Not before the region's start; at an offset into the stream.
        assert_eq!(split_character(&data[6..], 6, 7, 9), None);
        assert_eq!(split_character(&data[6..], 6, 6, 9), Some((6, 4)));
    }

    #[test]
    fn line_ends_lose_their_carriage_return() {
        let data = b"ab\r\ncd\n\r";
        assert_eq!(strip_cr(data, 0, 0, 3), 2);
        assert_eq!(strip_cr(data, 0, 4, 6), 6);
        assert_eq!(strip_cr(data, 0, 7, 8), 7);
        assert_eq!(strip_cr(data, 0, 3, 3), 3);
        assert_eq!(line_start(data, 0, 0, 5), 4);
        assert_eq!(line_start(data, 0, 5, 6), 5);
        assert_eq!(line_start(data, 0, 0, 1), 0);
    }

    #[test]
    fn line_counter_moves_forward_and_back() {
        let data = b"ab\ncd\n\nxyz";
        let mut lines = LineCounter::at(0);
        assert_eq!(lines.position(data, 0, 1), (1, 2));
        assert_eq!(lines.position(data, 0, 8), (4, 2));
        assert_eq!(lines.position(data, 0, 10), (4, 4));
        // Behind the checkpoint: counted back.
        assert_eq!(lines.position(data, 0, 4), (2, 2));
        assert_eq!(lines.position(data, 0, 0), (1, 1));
        // Only the data from `base` on is at hand; the checkpoint knows the rest.
        let mut lines = LineCounter::at(0);
        lines.advance(data, 0, 7);
        assert_eq!(lines.position(&data[7..], 7, 9), (4, 3));
        // From a chunk that starts at a line start.
        let mut lines = LineCounter::at(3);
        assert_eq!(lines.position(data, 0, 4), (1, 2));
        assert_eq!(lines.position(data, 0, 7), (3, 1));
    }

    /// Drives an engine the way the reader does, with the data arriving
    /// `piece` bytes at a time; returns each step as text.
    fn drive(input: &[u8], options: StreamOptions, piece: usize) -> Vec<String> {
        let mut engine = Engine::new(options);
        let mut parser = Parser::new();
        let (mut buffer, mut base, mut out) = (Vec::new(), 0, Vec::new());
        for _ in 0..100_000 {
            let at_eof = base + buffer.len() == input.len();
            match engine.step(&mut parser, &buffer, base, at_eof) {
                Step::Document { start, end } => {
                    let text = engine.text(&buffer, base, start, end).unwrap();
                    out.push(alloc::format!("{start}:{text}"));
                }
                Step::Error(e) => out.push(alloc::format!("{:?}@{}", e.kind(), e.offset())),
                Step::End => return out,
                Step::NeedMore(need) => {
                    assert!(!at_eof, "more asked for at the end");
                    engine.forget(&buffer, base, need.keep_from);
                    buffer.drain(..need.keep_from - base);
                    base = need.keep_from;
                    let from = base + buffer.len();
                    let to = (from + piece).min(input.len());
                    buffer.extend_from_slice(&input[from..to]);
                }
            }
        }
        panic!("no end after 100000 steps");
    }

    #[test]
    fn data_arriving_a_byte_at_a_time_gives_the_same_steps() {
        let lines = StreamOptions::new().with_window_size(8);
        let concatenated = lines.with_framing(Framing::Concatenated);
        let inputs: [&[u8]; 6] = [
            b"\xEF\xBB\xBF[1]\r\n\r\n{\"a\": [1, 2]}\n[1,\n\"x\"",
            b"\xEF\xBB",
            b"[\"\xff\"]\n[2]\n[\"\x01\"]\n\"\\u00e9\"\n",
            b"1 2\n[3,\n4] {\"a\"\n:\n5}\"x\"\"y\"12",
            b"[\"\xe6\x97\xa5\xe6\x9c\xac\"] \"\xe6\x97\xa5\" 7",
            b"",
        ];
        for input in inputs {
            for options in [lines, concatenated] {
                let whole = drive(input, options, usize::MAX);
                for piece in [1, 2, 3, 5] {
                    assert_eq!(drive(input, options, piece), whole, "{input:?}, {piece}");
                }
            }
        }
        assert_eq!(
            drive(
                b"\xEF\xBB\xBF[1]\r\n\r\n{\"a\": [1, 2]}\n[1,\n\"x\"",
                lines,
                1
            ),
            [
                "3:[1]",
                "10:{\"a\": [1, 2]}",
                "UnexpectedEnd@27",
                "28:\"x\""
            ]
        );
        assert_eq!(
            drive(b"1 2\n[3,\n4] {\"a\"\n:\n5}\"x\"\"y\"12", concatenated, 1),
            [
                "0:1",
                "2:2",
                "4:[3,\n4]",
                "11:{\"a\"\n:\n5}",
                "20:\"x\"",
                "23:\"y\"",
                "26:12"
            ]
        );
    }

    #[test]
    fn the_last_line_ends_at_the_end_of_the_input() {
        // Each last line has no line end, so it is built straight from the
        // region's index up to the input's end (or fails there, and is built
        // alone for the error `parse` gives).
        let cases: [(&[u8], &str); 9] = [
            (b"[1]\n[2]", "4:[2]"),
            (b"[1]\n{\"a\":1}", "4:{\"a\":1}"),
            (b"[1]\n\"s\"", "4:\"s\""),
            (b"[1]\n12", "4:12"),
            (b"[1]\ntrue\r", "4:true"),
            (b"[1]\n[2] 3", "TrailingCharacters@8"),
            (b"[1]\n[2", "UnexpectedEnd@6"),
            (b"[1]\n\"s", "UnterminatedString@4"),
            (b"[1]\ntru", "UnexpectedEnd@7"),
        ];
        for (input, last) in cases {
            for options in [
                StreamOptions::new(),
                StreamOptions::new().with_window_size(4),
            ] {
                let steps = drive(input, options, usize::MAX);
                assert_eq!(
                    steps,
                    ["0:[1]", last],
                    "{:?}",
                    String::from_utf8_lossy(input)
                );
            }
        }
    }

    #[test]
    fn regions_shrink_after_a_problem_and_grow_back() {
        let mut input = Vec::new();
        input.extend_from_slice(b"[\"\x01\"]\n");
        for i in 0..20_000 {
            input.extend_from_slice(alloc::format!("[{i}]\n").as_bytes());
        }
        let options = StreamOptions::new().with_window_size(64 << 10);
        let mut engine = Engine::new(options);
        let mut parser = Parser::new();
        assert!(matches!(
            engine.step(&mut parser, &input, 0, true),
            Step::Error(_)
        ));
        assert_eq!(engine.region_size, MIN_REGION);
        let mut regions = Vec::new();
        while let Step::Document { .. } = engine.step(&mut parser, &input, 0, true) {
            let region = engine.region.map(|r| (r.start, r.end));
            if regions.last() != Some(&region) {
                regions.push(region);
            }
        }
        // Each region ends at a line end within its size, which doubles back
        // to the window size.
        let sizes: Vec<usize> = regions
            .iter()
            .flatten()
            .map(|(start, end)| end - start)
            .collect();
        assert!(sizes.len() >= 5, "{sizes:?}");
        for (i, size) in sizes[..4].iter().enumerate() {
            assert!(
                *size <= MIN_REGION << i && *size > (MIN_REGION << i) - 10,
                "{sizes:?}"
            );
        }
    }
}
