//! Hash routes: every view has its own URL (`#/wordcount`), so the app works on any static
//! host, from a sub-path and inside an `<iframe>`, with no server-side routing.
//!
//! Parsing is total: any string — empty, huge, unicode, hostile — maps to a [`Route`], unknown
//! ones to [`Route::NotFound`]. Anything after `?` in the hash is left for the view (share links
//! will carry a scenario there).

/// A view of the app, as named by the URL hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Route {
    Playground,
    WordCount,
    Console,
    EdaVsSoa,
    Lessons,
    NotFound,
}

impl Route {
    /// The views in navigation order.
    pub const VIEWS: [Route; 5] = [
        Route::Playground,
        Route::WordCount,
        Route::Console,
        Route::EdaVsSoa,
        Route::Lessons,
    ];

    /// The path segment after `#/`, also used as the view's `data-view` name.
    pub fn slug(self) -> &'static str {
        match self {
            Route::Playground => "playground",
            Route::WordCount => "wordcount",
            Route::Console => "console",
            Route::EdaVsSoa => "eda-vs-soa",
            Route::Lessons => "lessons",
            Route::NotFound => "not-found",
        }
    }

    /// The view's title as the navigation shows it.
    pub fn title(self) -> &'static str {
        match self {
            Route::Playground => "Playground",
            Route::WordCount => "WordCount",
            Route::Console => "Console",
            Route::EdaVsSoa => "EDA vs SOA",
            Route::Lessons => "Lessons",
            Route::NotFound => "Page not found",
        }
    }

    /// The link target for this view (relative, so sub-paths and iframes keep working).
    pub fn href(self) -> String {
        format!("#/{}", self.slug())
    }

    /// The route a `location.hash` value names. An empty hash is the Playground, the first
    /// thing a learner sees.
    pub fn from_hash(hash: &str) -> Route {
        let path = hash.strip_prefix('#').unwrap_or(hash);
        let path = path.split(['?', '&']).next().unwrap_or("");
        let path = path.trim_matches('/');
        if path.is_empty() {
            return Route::Playground;
        }
        // A lesson and its step are part of the Lessons view's address.
        let path = match path.split_once('/') {
            Some((head, _)) if head.eq_ignore_ascii_case("lessons") => head,
            _ => path,
        };
        Route::VIEWS
            .into_iter()
            .find(|route| route.slug().eq_ignore_ascii_case(path))
            .unwrap_or(Route::NotFound)
    }
}

/// The parameters that say how a view is embedded (`crate::ui::embed` reads them), on any
/// view's address: a view's own setup never reads them, nor calls them unknown.
pub const EMBED_PARAMS: [&str; 6] = ["embed", "panels", "from", "to", "at", "origin"];

/// The parameters of `hash` that are the view's own: all but [`EMBED_PARAMS`].
pub fn view_params(hash: &str) -> Vec<(String, String)> {
    let mut params = query_params(hash);
    params.retain(|(key, _)| !EMBED_PARAMS.contains(&key.as_str()));
    params
}

/// A view's setup from the parameters of `hash` (its own: see [`view_params`]), read by the
/// view's `parse`, and what the learner wrote wrong in them, joined for the view's error
/// banner (None when all is well).
pub fn setup_from_hash<S>(
    hash: &str,
    parse: impl FnOnce(&[(String, String)]) -> (S, Vec<String>),
) -> (S, Option<String>) {
    let (setup, mut problems) = parse(&view_params(hash));
    let unread = param_count(hash).saturating_sub(PARAMS_MAX);
    if unread > 0 {
        problems.push(format!(
            "Ignored {unread} more URL parameter{}: at most {PARAMS_MAX} are read.",
            if unread == 1 { "" } else { "s" }
        ));
    }
    let error = (!problems.is_empty()).then(|| problems.join("\n"));
    (setup, error)
}

/// What the views that keep no setup in their address — the Console, and Lessons, which read
/// only `src` and `file` (a teacher's file, fetched or imported) — could not use of `hash`'s parameters, joined for a message
/// banner as a view with a setup reports them (None when all is well, and for other views).
/// A shared link's payload (`s`) is the page's, never unknown.
pub fn unused_params(hash: &str) -> Option<String> {
    let route = Route::from_hash(hash);
    if !matches!(route, Route::Console | Route::Lessons) {
        return None;
    }
    let (_, problems) = setup_from_hash(hash, |params| {
        let problems = read_params(params, |key, _| {
            (key == "s" || (route == Route::Lessons && (key == "src" || key == "file")))
                .then_some(Ok(()))
        });
        ((), problems)
    });
    problems
}

/// The page's `location.hash`, or "" outside a browser.
pub fn current_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Reads a view's URL parameters with `apply(key, value)`, which uses a known key's value and
/// returns `Some(Ok(()))`, refuses a bad value with `Some(Err(why))`, or returns `None` for a key
/// the view does not know. Returns one message for the learner per parameter not used.
pub fn read_params(
    params: &[(String, String)],
    mut apply: impl FnMut(&str, &str) -> Option<Result<(), &'static str>>,
) -> Vec<String> {
    let mut problems = Vec::new();
    for (key, value) in params {
        match apply(key, value.trim()) {
            Some(Ok(())) => {}
            Some(Err(why)) => problems.push(format!(
                "Ignored {}={}: {why}",
                visible(key),
                visible(value)
            )),
            None => problems.push(format!(
                "Ignored the unknown URL parameter “{}”.",
                visible(key)
            )),
        }
    }
    problems
}

/// A whole number in `lo..=hi`, or `why`.
pub fn number_in(value: &str, lo: u64, hi: u64, why: &'static str) -> Result<u64, &'static str> {
    value
        .parse::<u64>()
        .ok()
        .filter(|n| (lo..=hi).contains(n))
        .ok_or(why)
}

/// A number in `lo..=hi` (NaN and infinities refused), or `why`.
pub fn decimal_in(value: &str, lo: f64, hi: f64, why: &'static str) -> Result<f64, &'static str> {
    value
        .parse::<f64>()
        .ok()
        .filter(|n| (lo..=hi).contains(n))
        .ok_or(why)
}

/// What a seed must be.
pub const SEED_RULE: &str = "the seed must be a whole number from 0 to 18446744073709551615";

/// The most URL parameters a view reads; the rest are counted and reported, not read.
pub const PARAMS_MAX: usize = 32;

/// The most bytes of one `key=value` pair that are read.
pub const PARAM_BYTES_MAX: usize = 200;

pub use crate::sim::text::visible;

/// A view's address (`#/<view>?…`) with the settings it keeps in the address brought up to
/// date, so that an address copied from the browser starts the same setup. Each of `settings`
/// is `(key, value)`: written `key=value` (a bare `key` when the value is empty), or left out
/// when `None` (its default). The address's other parameters that `keep` names (an embed's,
/// say) stay, in order, before them; a shared link's payload (`s=…`) is dropped (the page
/// holds it now).
pub fn address_with(
    route: Route,
    address: &str,
    settings: &[(&str, Option<String>)],
    keep: impl Fn(&str) -> bool,
) -> String {
    let query = address.split_once('?').map_or("", |(_, q)| q);
    let mut pairs: Vec<String> = query
        .split('&')
        .filter(|pair| {
            let key = pair.split('=').next().unwrap_or_default();
            !pair.is_empty() && key != "s" && !settings.iter().any(|(k, _)| *k == key) && keep(key)
        })
        .map(str::to_string)
        .collect();
    for (key, value) in settings {
        match value.as_deref() {
            None => {}
            Some("") => pairs.push((*key).to_string()),
            Some(value) => pairs.push(format!("{key}={value}")),
        }
    }
    let path = route.href();
    if pairs.is_empty() {
        path
    } else {
        format!("{path}?{}", pairs.join("&"))
    }
}

/// `value` as an address writes it, or `None` when it is `default` (left out).
pub fn unless_default<T: PartialEq + std::fmt::Display>(value: T, default: T) -> Option<String> {
    (value != default).then(|| value.to_string())
}

/// How many non-empty `key=value` pairs follow `?` in `hash` (read or not).
fn param_count(hash: &str) -> usize {
    hash.split_once('?').map_or(0, |(_, query)| {
        query.split('&').filter(|pair| !pair.is_empty()).count()
    })
}

/// The `key=value` parameters after `?` in a hash (`#/playground?seed=7&rate=20`), in order.
/// Keys and values are percent-decoded; malformed escapes are kept as typed. At most
/// [`PARAMS_MAX`] parameters of at most [`PARAM_BYTES_MAX`] bytes each are read, so a hostile
/// URL cannot make the page work hard.
pub fn query_params(hash: &str) -> Vec<(String, String)> {
    let Some((_, query)) = hash.split_once('?') else {
        return Vec::new();
    };
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .take(PARAMS_MAX)
        .map(|pair| {
            let pair = truncate(pair, PARAM_BYTES_MAX);
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(key), percent_decode(value))
        })
        .collect()
}

fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_view_round_trips_through_its_href() {
        for route in Route::VIEWS {
            assert_eq!(Route::from_hash(&route.href()), route);
        }
    }

    #[test]
    fn empty_hashes_open_the_playground() {
        for hash in ["", "#", "#/", "/", "#//"] {
            assert_eq!(Route::from_hash(hash), Route::Playground, "{hash:?}");
        }
    }

    #[test]
    fn tolerates_trailing_slashes_case_and_query() {
        assert_eq!(Route::from_hash("#/wordcount/"), Route::WordCount);
        assert_eq!(Route::from_hash("#/WordCount"), Route::WordCount);
        assert_eq!(Route::from_hash("#/eda-vs-soa?seed=7"), Route::EdaVsSoa);
        assert_eq!(Route::from_hash("#/console&x=1"), Route::Console);
    }

    #[test]
    fn unknown_and_hostile_hashes_are_not_found() {
        let huge = format!("#/{}", "a".repeat(1_000_000));
        for hash in [
            "#/nope",
            "#/playground/extra",
            "#/<script>alert(1)</script>",
            "#/wörd©ount",
            "#/%00",
            huge.as_str(),
        ] {
            assert_eq!(Route::from_hash(hash), Route::NotFound, "{:.40}", hash);
        }
    }

    #[test]
    fn query_parameters_are_read_decoded_and_bounded() {
        assert_eq!(
            query_params("#/playground?seed=7&rate=20&name=a%20b+c&flag"),
            vec![
                ("seed".to_string(), "7".to_string()),
                ("rate".to_string(), "20".to_string()),
                ("name".to_string(), "a b c".to_string()),
                ("flag".to_string(), String::new()),
            ]
        );
        assert!(query_params("#/playground").is_empty());
        assert_eq!(query_params("#/p?x=%zz%4")[0].1, "%zz%4");
        assert_eq!(query_params("#/p?k=%E2%9C%93")[0].1, "✓");
        let hostile = format!("#/p?{}", "a=1&".repeat(10_000));
        assert_eq!(query_params(&hostile).len(), 32);
        let long = format!("#/p?k={}", "é".repeat(500));
        assert!(query_params(&long)[0].1.len() <= 200);
    }

    #[test]
    fn messages_show_control_and_bidi_characters_escaped() {
        assert_eq!(visible("plain ✓ é"), "plain ✓ é");
        assert_eq!(visible("a\u{202E}b"), "a\\u{202E}b");
        assert_eq!(visible("x\ny\t\u{0}"), "x\\u{A}y\\u{9}\\u{0}");
        assert_eq!(
            visible("\u{2066}\u{200B}\u{FEFF}"),
            "\\u{2066}\\u{200B}\\u{FEFF}"
        );
        // A backslash stays distinguishable from an escape.
        assert_eq!(visible("\\u{41}"), "\\\\u{41}");
        let params = query_params("#/p?%E2%80%AEkey=1&seed=%E2%80%AE9");
        let problems = read_params(&params, |key, value| {
            (key == "seed").then(|| number_in(value, 0, 9, "bad").map(drop))
        });
        assert_eq!(
            problems,
            [
                "Ignored the unknown URL parameter “\\u{202E}key”.",
                "Ignored seed=\\u{202E}9: bad"
            ]
        );
    }

    #[test]
    fn parameters_past_the_limit_are_reported_not_dropped_silently() {
        let parse = |params: &[(String, String)]| {
            let problems = read_params(params, |_, _| None);
            (params.len(), problems)
        };
        let hash = format!("#/p?{}", "a=1&".repeat(100));
        let (read, error) = setup_from_hash(&hash, parse);
        assert_eq!(read, PARAMS_MAX);
        let error = error.unwrap();
        assert_eq!(error.lines().count(), PARAMS_MAX + 1);
        assert!(error.ends_with("Ignored 68 more URL parameters: at most 32 are read."));
        let hash = format!("#/p?{}", "a=1&".repeat(33));
        let (_, error) = setup_from_hash(&hash, parse);
        assert!(
            error
                .unwrap()
                .ends_with("Ignored 1 more URL parameter: at most 32 are read.")
        );
        let (_, error) = setup_from_hash("#/p?", parse);
        assert_eq!(error, None);
    }

    #[test]
    fn embed_parameters_are_not_a_views_own() {
        let hash = "#/playground?embed=1&partitions=6&panels=lanes&from=1&to=2&at=1&origin=x";
        assert_eq!(
            view_params(hash),
            vec![("partitions".to_string(), "6".to_string())]
        );
        let (params, error) = setup_from_hash(hash, |p| (p.len(), Vec::new()));
        assert_eq!((params, error), (1, None));
    }

    #[test]
    fn the_console_and_lessons_report_parameters_they_cannot_use() {
        assert_eq!(unused_params("#/console"), None);
        assert_eq!(unused_params("#/console?embed=1&panels=terminal"), None);
        assert_eq!(unused_params("#/lessons?src=lessons/mine.txt"), None);
        assert_eq!(unused_params("#/lessons?file=imported"), None);
        assert_eq!(unused_params("#/lessons/wordcount/2"), None);
        assert_eq!(
            unused_params("#/console?partitions=7").as_deref(),
            Some("Ignored the unknown URL parameter “partitions”.")
        );
        assert_eq!(
            unused_params("#/lessons/wordcount?src=x.txt&colour=\u{202E}red").as_deref(),
            Some("Ignored the unknown URL parameter “colour”.")
        );
        assert_eq!(
            unused_params("#/console?src=x.txt").as_deref(),
            Some("Ignored the unknown URL parameter “src”.")
        );
        let many = format!("#/lessons?{}", "a=1&".repeat(40));
        let error = unused_params(&many).unwrap_or_default();
        assert!(error.ends_with("Ignored 8 more URL parameters: at most 32 are read."));
        // Views with a setup of their own report theirs themselves.
        assert_eq!(unused_params("#/playground?colour=red"), None);
        assert_eq!(unused_params("#/wordcount?colour=red"), None);
    }

    #[test]
    fn slugs_and_titles_are_distinct() {
        let mut slugs: Vec<_> = Route::VIEWS.iter().map(|r| r.slug()).collect();
        crate::sim::sort::sort(&mut slugs);
        slugs.dedup();
        assert_eq!(slugs.len(), Route::VIEWS.len());
        assert_eq!(Route::EdaVsSoa.title(), "EDA vs SOA");
    }
}
