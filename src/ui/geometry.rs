//! Where things are drawn: plain functions of the diagram's size and the engine's numbers,
//! tested natively. The view only turns these numbers into SVG.

/// The Okabe–Ito palette: distinguishable with every common colour-vision deficiency.
pub const OKABE_ITO: [&str; 8] = [
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000",
];

/// Colours for record keys: Okabe–Ito's seven (black is kept for text), then thirteen of
/// Kelly's colours of maximum contrast (his grey left out: grey is the null key's). Colour is
/// never the only cue: cells also carry the key's text.
pub const KEY_PALETTE: [&str; 20] = [
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#875692",
    "#A1CAF1", "#BE0032", "#C2B280", "#E68FAC", "#604E97", "#F99379", "#B3446C", "#DCD300",
    "#882D17", "#8DB600", "#654522", "#2B3D26",
];

/// The null key's colour.
pub const NULL_KEY_COLOUR: &str = "#999999";

/// Colour for a record key: the same key always gets the same colour (FNV-1a of its bytes,
/// so it is stable across runs and platforms); `None` (a null key) gets the neutral grey.
pub fn key_colour(key: Option<&[u8]>) -> &'static str {
    match key {
        None => NULL_KEY_COLOUR,
        Some(bytes) => {
            let mut hash: u32 = 0x811c_9dc5;
            for b in bytes {
                hash ^= u32::from(*b);
                hash = hash.wrapping_mul(0x0100_0193);
            }
            KEY_PALETTE[(hash % KEY_PALETTE.len() as u32) as usize]
        }
    }
}

/// `#rrggbb` as three channels (black if it is not one).
pub fn parse_hex(colour: &str) -> [u8; 3] {
    let hex = colour.trim_start_matches('#');
    let channel = |i: usize| {
        hex.get(i..i + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .unwrap_or(0)
    };
    [channel(0), channel(2), channel(4)]
}

/// WCAG 2 relative luminance of an sRGB colour.
pub fn luminance(rgb: [u8; 3]) -> f64 {
    let linear = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.040_45 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(rgb[0]) + 0.7152 * linear(rgb[1]) + 0.0722 * linear(rgb[2])
}

/// WCAG 2 contrast ratio of two colours (1 to 21).
pub fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `top` drawn with opacity `alpha` over `under`.
pub fn blend(top: [u8; 3], alpha: f64, under: [u8; 3]) -> [u8; 3] {
    let mix = |t: u8, u: u8| (f64::from(t) * alpha + f64::from(u) * (1.0 - alpha)).round() as u8;
    [
        mix(top[0], under[0]),
        mix(top[1], under[1]),
        mix(top[2], under[2]),
    ]
}

/// The text colour (black or white) with the higher contrast on `background`: at least
/// 4.58:1 on any colour (the worst case is a luminance of ~0.18), so WCAG AA holds.
pub fn text_on(background: [u8; 3]) -> &'static str {
    if contrast(background, [0, 0, 0]) >= contrast(background, [255, 255, 255]) {
        "#000000"
    } else {
        "#ffffff"
    }
}

/// The letter colour for a cell of `colour` drawn at full opacity.
pub fn text_colour(colour: &str) -> &'static str {
    text_on(parse_hex(colour))
}

/// The lane's background under a cell, light and dark theme (`--bg` in static/app.css).
pub const THEME_BACKGROUNDS: [[u8; 3]; 2] = [[0xff, 0xff, 0xff], [0x12, 0x14, 0x17]];

/// A cell not yet replicated to every in-sync replica is drawn at this opacity.
pub const PENDING_OPACITY: f64 = 0.45;

/// For a pending (faded) cell of `colour`: whether its letters are black in the light theme
/// and in the dark theme (the faded cell shows the page background through it).
pub fn pending_text_black(colour: &str) -> [bool; 2] {
    let rgb = parse_hex(colour);
    THEME_BACKGROUNDS.map(|bg| text_on(blend(rgb, PENDING_OPACITY, bg)) == "#000000")
}

/// The diagram's layout for a topic with `partitions` lanes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    /// Left edge of the lanes.
    pub lanes_x: f64,
    /// Width of the lanes.
    pub lanes_width: f64,
    /// Top of the first lane.
    pub lanes_y: f64,
    /// Height of one lane (including its gap).
    pub lane_pitch: f64,
    /// Cells shown per lane.
    pub cells: u32,
    /// Width of one cell.
    pub cell_width: f64,
    pub partitions: u32,
    /// Width of the producer and the consumer columns.
    pub side: f64,
}

/// Producers sit in the left column, consumers in the right one; both columns are this wide.
pub const SIDE_COLUMN: f64 = 140.0;

/// Room right of the lanes for a lane's numbers (`end N · lag M`), in the wide layout.
pub const META_COLUMN: f64 = 200.0;

/// A window this wide gets the wide drawing; below it the diagram uses [`Layout::compact`].
/// (The wide drawing is 960 units: below ~1,000 px of window it would be drawn at less than
/// its own size, and its 11-unit text under 11 px.) A media query, so the page hears when it
/// changes instead of measuring the window every frame.
pub const WIDE_QUERY: &str = "(min-width: 1000px)";

impl Layout {
    /// Lays out `partitions` lanes (at least one) in a `width` × `height` drawing.
    pub fn new(width: f64, height: f64, partitions: u32, cells: u32) -> Self {
        Self::with_columns(width, height, partitions, cells, SIDE_COLUMN, META_COLUMN)
    }

    /// The narrow-screen layout (a phone, a small iframe): 400 units wide, with text drawn at
    /// 14 units so it stays at 11 px or more at 360 px; narrower lanes and lane numbers.
    pub fn compact(height: f64, partitions: u32, cells: u32) -> Self {
        Self::with_columns(400.0, height, partitions, cells, 100.0, 50.0)
    }

    fn with_columns(
        width: f64,
        height: f64,
        partitions: u32,
        cells: u32,
        side: f64,
        meta: f64,
    ) -> Self {
        let partitions = partitions.max(1);
        let cells = cells.max(1);
        let lanes_x = side + 30.0;
        // Room on the right for the lane's numbers, then the consumers.
        let lanes_width = (width - lanes_x - side - meta).max(60.0);
        let lanes_y = 24.0;
        let lane_pitch = ((height - lanes_y - 8.0) / f64::from(partitions)).clamp(14.0, 44.0);
        Self {
            width,
            height,
            lanes_x,
            lanes_width,
            lanes_y,
            lane_pitch,
            cells,
            cell_width: lanes_width / f64::from(cells),
            partitions,
            side,
        }
    }

    /// Where a lane's cells are anchored: `first` rounded down to a multiple of `cells`.
    /// Cells are drawn at `cell_x(base, offset)` inside a group shifted left by
    /// [`Layout::shift`], so an append moves one transform instead of every cell; the base
    /// changes (and every cell moves) once per `cells` appends, and coordinates stay small
    /// however long the log grows.
    pub fn block_base(&self, first: u64) -> u64 {
        first - first % u64::from(self.cells)
    }

    /// How far left a lane's cell group is shifted so `first` sits at the lane's left edge.
    pub fn shift(&self, first: u64) -> f64 {
        self.cell_width * (first - self.block_base(first)) as f64
    }

    /// Vertical centre of lane `partition`.
    pub fn lane_centre(&self, partition: u32) -> f64 {
        self.lanes_y + self.lane_pitch * (f64::from(partition) + 0.5)
    }

    /// The first offset a lane shows: the last `cells` offsets up to `log_end`, never before
    /// `log_start`.
    pub fn first_shown(&self, log_start: u64, log_end: u64) -> u64 {
        log_end.saturating_sub(u64::from(self.cells)).max(log_start)
    }

    /// Left edge of the cell for `offset` when the lane shows offsets from `first`.
    pub fn cell_x(&self, first: u64, offset: u64) -> f64 {
        self.lanes_x + self.cell_width * offset.saturating_sub(first) as f64
    }

    /// Centre of the cell for `offset` in lane `partition` when it shows offsets from
    /// `first`; an offset past the lane's last cell sits in the last cell (the lane shifts
    /// left to make room for it).
    pub fn cell_centre(&self, partition: u32, first: u64, offset: u64) -> (f64, f64) {
        let slot = offset
            .saturating_sub(first)
            .min(u64::from(self.cells.saturating_sub(1)));
        (
            self.lanes_x + self.cell_width * (slot as f64 + 0.5),
            self.lane_centre(partition),
        )
    }

    /// Where the lane's records arrive when no cell is known: its left end.
    pub fn lane_entry(&self, partition: u32) -> (f64, f64) {
        (self.lanes_x, self.lane_centre(partition))
    }

    /// Where records leave a lane for consumers.
    pub fn lane_exit(&self, partition: u32) -> (f64, f64) {
        (self.lanes_x + self.lanes_width, self.lane_centre(partition))
    }

    /// Centre of producer box `index` of `count`.
    pub fn producer_at(&self, index: u32, count: u32) -> (f64, f64) {
        (self.side / 2.0 + 8.0, column_y(self.height, index, count))
    }

    /// Centre of consumer box `index` of `count` (all groups' members, top to bottom).
    pub fn consumer_at(&self, index: u32, count: u32) -> (f64, f64) {
        (
            self.width - self.side / 2.0 - 8.0,
            column_y(self.height, index, count),
        )
    }
}

fn column_y(height: f64, index: u32, count: u32) -> f64 {
    let count = count.max(1);
    let pitch = (height - 16.0) / f64::from(count);
    8.0 + pitch * (f64::from(index.min(count - 1)) + 0.5)
}

/// How far along its edge something sent at `sent_ms` and arriving at `arrives_ms` is at
/// `now_ms`: 0 at sending, 1 on arrival, clamped.
pub fn progress(now_ms: f64, sent_ms: u64, arrives_ms: u64) -> f64 {
    if arrives_ms <= sent_ms {
        return if now_ms >= arrives_ms as f64 {
            1.0
        } else {
            0.0
        };
    }
    ((now_ms - sent_ms as f64) / (arrives_ms - sent_ms) as f64).clamp(0.0, 1.0)
}

/// The point `t` of the way from `a` to `b`.
pub fn lerp(a: (f64, f64), b: (f64, f64), t: f64) -> (f64, f64) {
    (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t)
}

/// The point `t` (0..=1) of the way along the path `a → b → c`, at an even speed (the
/// distance covered is `t` of the whole length).
pub fn along(a: (f64, f64), b: (f64, f64), c: (f64, f64), t: f64) -> (f64, f64) {
    let dist = |p: (f64, f64), q: (f64, f64)| (q.0 - p.0).hypot(q.1 - p.1);
    let (first, second) = (dist(a, b), dist(b, c));
    let total = first + second;
    if total <= 0.0 {
        return a;
    }
    let covered = t.clamp(0.0, 1.0) * total;
    if covered <= first {
        lerp(a, b, covered / first.max(f64::MIN_POSITIVE))
    } else {
        lerp(b, c, (covered - first) / second.max(f64::MIN_POSITIVE))
    }
}

/// Speed slider position (0..=1000) to a time multiplier on a log scale from 0.1× to 20×.
pub fn speed_from_slider(position: u32) -> f64 {
    let t = f64::from(position.min(1000)) / 1000.0;
    let (lo, hi) = (0.1f64.ln(), 20f64.ln());
    (lo + (hi - lo) * t).exp()
}

/// The inverse of [`speed_from_slider`].
pub fn slider_from_speed(speed: f64) -> u32 {
    let (lo, hi) = (0.1f64.ln(), 20f64.ln());
    let t = (speed.clamp(0.1, 20.0).ln() - lo) / (hi - lo);
    (t * 1000.0).round() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_colours_are_stable_and_null_is_grey() {
        assert_eq!(key_colour(Some(b"alice")), key_colour(Some(b"alice")));
        assert_eq!(key_colour(None), "#999999");
        let all: std::collections::BTreeSet<_> = (0..500)
            .map(|i| key_colour(Some(format!("key-{i}").as_bytes())))
            .collect();
        assert_eq!(all.len(), KEY_PALETTE.len(), "every colour is used");
        assert!(all.len() > 8, "more colours than Okabe–Ito's eight");
        let distinct: std::collections::BTreeSet<_> = ["a", "b", "c", "d", "e", "f", "g", "h"]
            .iter()
            .map(|k| key_colour(Some(k.as_bytes())))
            .collect();
        assert!(distinct.len() >= 4, "keys spread over the palette");
        assert!(!distinct.contains("#000000"));
    }

    #[test]
    fn contrast_matches_wcag_reference_values() {
        let (black, white) = ([0, 0, 0], [255, 255, 255]);
        assert!((contrast(black, white) - 21.0).abs() < 1e-9);
        assert!((contrast(white, white) - 1.0).abs() < 1e-9);
        // WebAIM's checker: #777777 on white is 4.48:1, #767676 is 4.54:1.
        assert!((contrast(parse_hex("#777777"), white) - 4.48).abs() < 0.01);
        assert!((contrast(parse_hex("#767676"), white) - 4.54).abs() < 0.01);
        // White letters on Okabe–Ito yellow (the old cells): about 1.2:1, far from AA.
        assert!(contrast(parse_hex("#F0E442"), white) < 1.5);
    }

    /// Every colour a cell can have (each key colour and the null grey; full and faded over
    /// the light and the dark background) with the letter colour the view picks for it:
    /// at least 4.5:1, WCAG AA for normal text.
    #[test]
    fn cell_letters_meet_wcag_aa_on_every_cell_colour_in_both_themes() {
        let mut checked = 0;
        for colour in KEY_PALETTE.iter().chain([&NULL_KEY_COLOUR]) {
            let rgb = parse_hex(colour);
            let letters = parse_hex(text_colour(colour));
            let ratio = contrast(rgb, letters);
            assert!(ratio >= 4.5, "{colour}: {ratio:.2}:1");
            checked += 1;
            for (theme, bg) in THEME_BACKGROUNDS.iter().enumerate() {
                let faded = blend(rgb, PENDING_OPACITY, *bg);
                let black = pending_text_black(colour)[theme];
                let letters = if black { [0, 0, 0] } else { [255, 255, 255] };
                let ratio = contrast(faded, letters);
                assert!(ratio >= 4.5, "{colour} faded, theme {theme}: {ratio:.2}:1");
                checked += 1;
            }
        }
        assert_eq!(checked, (KEY_PALETTE.len() + 1) * 3);
    }

    #[test]
    fn along_two_segments_moves_at_an_even_speed() {
        // 30 units right, then 40 down: 70 in all.
        let (a, b, c) = ((0.0, 0.0), (30.0, 0.0), (30.0, 40.0));
        assert_eq!(along(a, b, c, 0.0), a);
        assert_eq!(along(a, b, c, 1.0), c);
        assert_eq!(along(a, b, c, 3.0 / 7.0), b);
        let (x, y) = along(a, b, c, 0.5);
        assert!(
            (x - 30.0).abs() < 1e-9 && (y - 5.0).abs() < 1e-9,
            "({x}, {y})"
        );
        assert_eq!(along(a, a, a, 0.5), a, "a path of no length");
    }

    #[test]
    fn a_cell_centre_is_clamped_to_the_lanes_last_cell() {
        let l = Layout::new(760.0, 260.0, 3, 14);
        let (x0, y) = l.cell_centre(1, 100, 100);
        assert_eq!(y, l.lane_centre(1));
        assert!((x0 - (l.lanes_x + l.cell_width / 2.0)).abs() < 1e-9);
        let last = l.lanes_x + l.cell_width * 13.5;
        assert!((l.cell_centre(1, 100, 113).0 - last).abs() < 1e-9);
        assert!(
            (l.cell_centre(1, 100, 500).0 - last).abs() < 1e-9,
            "past the end: the last cell"
        );
    }

    #[test]
    fn lanes_fill_the_middle_and_stack_evenly() {
        let layout = Layout::new(800.0, 300.0, 3, 10);
        assert!(layout.lanes_x > SIDE_COLUMN);
        assert!(layout.lanes_x + layout.lanes_width + 120.0 < 800.0 - SIDE_COLUMN);
        let gaps: Vec<f64> = (0..3).map(|p| layout.lane_centre(p)).collect();
        assert!((gaps[1] - gaps[0] - (gaps[2] - gaps[1])).abs() < 1e-9);
        assert_eq!(layout.cell_width * 10.0, layout.lanes_width);
    }

    #[test]
    fn a_lane_shows_its_last_cells() {
        let layout = Layout::new(800.0, 300.0, 1, 10);
        assert_eq!(layout.first_shown(0, 4), 0);
        assert_eq!(layout.first_shown(0, 25), 15);
        assert_eq!(layout.first_shown(20, 25), 20);
        assert_eq!(layout.cell_x(15, 15), layout.lanes_x);
        assert_eq!(layout.cell_x(15, 16), layout.lanes_x + layout.cell_width);
    }

    #[test]
    fn cells_anchor_to_a_block_so_an_append_moves_only_the_shift() {
        let layout = Layout::new(800.0, 300.0, 1, 10);
        assert_eq!(layout.block_base(0), 0);
        assert_eq!(layout.block_base(17), 10);
        assert_eq!(layout.shift(10), 0.0);
        assert!((layout.shift(17) - 7.0 * layout.cell_width).abs() < 1e-9);
        // Drawn position = cell_x(base, offset) - shift(first) = cell_x(first, offset).
        for first in [0u64, 9, 10, 123_456_789] {
            let base = layout.block_base(first);
            let drawn = layout.cell_x(base, first + 3) - layout.shift(first);
            assert!((drawn - layout.cell_x(first, first + 3)).abs() < 1e-6);
        }
    }

    #[test]
    fn the_compact_layout_keeps_lanes_and_clients_apart_at_400_units() {
        let layout = Layout::compact(260.0, 12, 14);
        assert_eq!(layout.width, 400.0);
        // The consumer column is wide enough for a box's Stop and Crash buttons at 13 units.
        assert!(layout.lanes_width >= 110.0, "{layout:?}");
        let (px, _) = layout.producer_at(0, 1);
        let (cx, _) = layout.consumer_at(0, 1);
        assert!(px + layout.side / 2.0 < layout.lanes_x);
        assert!(cx - layout.side / 2.0 > layout.lanes_x + layout.lanes_width);
        assert!(cx + layout.side / 2.0 <= 400.0);
    }

    #[test]
    fn progress_interpolates_and_clamps() {
        assert_eq!(progress(100.0, 100, 200), 0.0);
        assert_eq!(progress(150.0, 100, 200), 0.5);
        assert_eq!(progress(250.0, 100, 200), 1.0);
        assert_eq!(progress(50.0, 100, 200), 0.0);
        assert_eq!(progress(100.0, 100, 100), 1.0);
        assert_eq!(lerp((0.0, 0.0), (10.0, 20.0), 0.5), (5.0, 10.0));
    }

    #[test]
    fn the_speed_slider_is_logarithmic_from_a_tenth_to_twenty() {
        assert!((speed_from_slider(0) - 0.1).abs() < 1e-9);
        assert!((speed_from_slider(1000) - 20.0).abs() < 1e-9);
        let one = slider_from_speed(1.0);
        assert!((speed_from_slider(one) - 1.0).abs() < 0.01);
        assert_eq!(slider_from_speed(100.0), 1000);
    }
}
