//! Moving through a view's recorded time: the Time slider and, when rewound, the bar that says
//! which moment is shown (and that acting there replaces the recorded future). The Playground
//! and EDA vs SOA both stand on a `sim::Timeline`; these are the one way either shows it.

use yew::prelude::*;

use crate::ui::session::format_ms;

/// Where a key pressed on the Time slider moves it: 1 s per arrow, 10 s per Page Up/Down, the
/// ends with Home/End (dragging stays exact); `None` for any other key.
pub fn seek_key_target(key: &str, now: u64, min: u64, max: u64) -> Option<u64> {
    let to = match key {
        "ArrowRight" | "ArrowUp" => now.saturating_add(1_000),
        "ArrowLeft" | "ArrowDown" => now.saturating_sub(1_000),
        "PageUp" => now.saturating_add(10_000),
        "PageDown" => now.saturating_sub(10_000),
        "Home" => min,
        "End" => max,
        _ => return None,
    };
    Some(to.clamp(min, max.max(min)))
}

/// The Time slider: virtual time from `min_ms` (the timeline's reach) to `max_ms` (the end of
/// the recording), at `now_ms`. `goal_ms`, in a lesson, is the moment the step's goal was
/// reached: a tick on the slider (its `datalist`) and, beside it, its time in words.
pub fn time_slider(
    now_ms: u64,
    min_ms: u64,
    max_ms: u64,
    goal_ms: Option<u64>,
    on_seek: &Callback<u64>,
) -> Html {
    let seek = on_seek.reform(|e: InputEvent| {
        e.target_unchecked_into::<web_sys::HtmlInputElement>()
            .value()
            .parse()
            .unwrap_or(0)
    });
    let keys = {
        let on_seek = on_seek.clone();
        Callback::from(move |e: KeyboardEvent| {
            if let Some(to) = seek_key_target(&e.key(), now_ms, min_ms, max_ms) {
                e.prevent_default();
                on_seek.emit(to);
            }
        })
    };
    html! {
        <label class="timeline" data-now={now_ms.to_string()} data-horizon={max_ms.to_string()}>{ "Time " }
            <input type="range" min={min_ms.to_string()} max={max_ms.max(min_ms + 1).to_string()} value={now_ms.to_string()}
                oninput={seek} onkeydown={keys} aria-valuetext={format_ms(now_ms)}
                list={goal_ms.map(|_| "goal-moment")}
                aria-keyshortcuts="ArrowLeft ArrowRight PageUp PageDown Home End" />
            <output class="mono">{ format_ms(now_ms) }</output>
            if let Some(goal) = goal_ms {
                <datalist id="goal-moment"><option value={goal.to_string()} label="goal reached" /></datalist>
                <span class="goal-mark mono" data-ms={goal.to_string()}>{ format!("✓ goal at {}", format_ms(goal)) }</span>
            }
        </label>
    }
}

/// When `rewound` (the timeline is not at the end of its recording): which moment is shown and
/// a way back to the end of the recording (`horizon_ms`). After acting in the past (`replaced` = the moment acted at and the end of
/// the recording then): that the recorded future was dropped.
pub fn time_travel(
    rewound: bool,
    now_ms: u64,
    horizon_ms: u64,
    replaced: Option<(u64, u64)>,
    on_seek: &Callback<u64>,
    on_dismiss: Callback<MouseEvent>,
) -> Html {
    let back = on_seek.reform(move |_: MouseEvent| horizon_ms);
    html! {
        <>
            if rewound {
                <div class="rewound-bar" role="status" data-now={now_ms.to_string()}>
                    <span>{ format!("Viewing t = {} of {} recorded. Acting here replaces what was recorded after this moment. ",
                        format_ms(now_ms), format_ms(horizon_ms)) }</span>
                    <button type="button" class="back-to-live" onclick={back}>{ "Back to live" }</button>
                </div>
            }
            if let Some((at, end)) = replaced {
                <div class="replaced-note" role="status">
                    <span>{ format!("You acted at t = {} while viewing the past: what had been recorded after it (up to t = {}) was dropped, and time goes on from your change.",
                        format_ms(at), format_ms(end)) }</span>
                    <button type="button" onclick={on_dismiss} aria-label="Dismiss the note">{ "×" }</button>
                </div>
            }
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::seek_key_target;

    #[test]
    fn keys_move_by_seconds_and_stay_within_reach() {
        assert_eq!(seek_key_target("ArrowRight", 5_000, 0, 60_000), Some(6_000));
        assert_eq!(seek_key_target("ArrowDown", 5_000, 0, 60_000), Some(4_000));
        assert_eq!(
            seek_key_target("PageDown", 5_000, 2_000, 60_000),
            Some(2_000)
        );
        assert_eq!(seek_key_target("PageUp", 55_000, 0, 60_000), Some(60_000));
        assert_eq!(seek_key_target("Home", 55_000, 3_000, 60_000), Some(3_000));
        assert_eq!(seek_key_target("End", 5_000, 0, 60_000), Some(60_000));
        assert_eq!(seek_key_target("a", 5_000, 0, 60_000), None);
    }
}
