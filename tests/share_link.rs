//! Share links of typical sessions: five minutes of play, a few dozen learner actions and a
//! topic made in the Console fit in 2,000 characters (what LMS pages and chat tools keep
//! intact), and the link opens the same moment.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::print_stdout)]

use eda_playground::sim::client::Acks;
use eda_playground::sim::scenario::decode_link;
use eda_playground::ui::components::share::{
    LINK_CHARS_SHARE_MAX, link_for, read_pasted, shared_doc,
};
use eda_playground::ui::route::{Route, query_params};
use eda_playground::ui::session::saved::payload;
use eda_playground::ui::session::{Action, Session, Setup};

/// A course page's address, as a teacher would host the app.
const PAGE: &str = "https://courses.example.org/eda-playground/";

fn play_for(session: &mut Session, seconds: u64) {
    let until = session.world().now_ms() + seconds * 1000;
    while session.world().now_ms() < until {
        session.act(Action::Frame { wall_ms: 16.7 });
    }
}

/// Five minutes: typed records, a steady load, consumers added and crashed, a topic made in
/// the Console, partitions added, a rewind and a change there.
fn typical(address: &str, acks_changes: bool) -> Session {
    let (setup, problems) = Setup::from_params(&query_params(address));
    assert!(problems.is_empty(), "{problems:?}");
    let mut s = Session::with_setup(&setup);
    for minute in 0..5u64 {
        for i in 0..6 {
            let acks = if acks_changes && i == 3 {
                Acks::One
            } else {
                Acks::All
            };
            s.act(Action::Produce {
                text: format!("user-{minute}-{i}:clicked {}", i * 7),
                partition: None,
                acks,
            });
            play_for(&mut s, 5);
        }
        match minute {
            0 => s.act(Action::SetAutoRate(5)),
            1 => s.act(Action::AddConsumer {
                group: "billing".into(),
            }),
            2 => {
                // What the Console does: the terminal drives the same timeline.
                s.timeline
                    .drive(|w| w.create_topic("payments", 2, 1))
                    .unwrap();
                s.act(Action::CrashConsumer(2));
            }
            3 => s.act(Action::IncreasePartitions { to: 4 }),
            _ => {
                let back = s.world().now_ms() - 20_000;
                s.act(Action::Seek(back));
                s.act(Action::SetAutoRate(20));
            }
        }
        play_for(&mut s, 30);
    }
    s
}

#[test]
fn three_typical_sessions_fit_in_a_shareable_link() {
    for (name, address, acks) in [
        ("first-load scene", "#/playground", false),
        (
            "busy scene",
            "#/playground?partitions=12&groups=3&rate=1000",
            false,
        ),
        (
            "three brokers, acks changed",
            "#/playground?brokers=3&rf=3",
            true,
        ),
    ] {
        let session = typical(address, acks);
        let shared = eda_playground::ui::session::SharedSession::default();
        let rc = shared.session(|| session);
        let doc = shared_doc(&shared, Route::Playground).expect("complete");
        let session = rc.borrow();
        let link = link_for(
            PAGE,
            address,
            Route::Playground,
            &eda_playground::sim::scenario::encode_link(&doc),
        );
        println!(
            "{name}: {} commands, {} records appended, link {} characters",
            doc.commands.len(),
            session.trace().produced,
            link.len()
        );
        assert!(
            link.len() <= LINK_CHARS_SHARE_MAX,
            "{name}: {} characters",
            link.len()
        );
        // The link opens the same moment, world and counters.
        let opened = Session::from_doc(&decode_link(payload(&link).unwrap()).unwrap()).unwrap();
        assert_eq!(opened.world().now_ms(), session.world().now_ms());
        assert_eq!(opened.horizon_ms(), session.horizon_ms());
        assert!(!opened.playing, "a shared moment opens paused");
        let lag = |s: &Session| s.world().group_lag("billing");
        assert_eq!(lag(&opened), lag(&session));
        assert_eq!(
            format!(
                "{:?}",
                opened.world().recent_events().iter().collect::<Vec<_>>()
            ),
            format!(
                "{:?}",
                session.world().recent_events().iter().collect::<Vec<_>>()
            )
        );
        assert_eq!(read_pasted(&link), Ok(doc));
    }
}

/// The link carries WordCount's and EDA vs SOA's worlds too: a page that opens it shows the
/// same counts, the same store and the same comparison at the same moment.
#[test]
fn wordcount_and_eda_vs_soa_travel_with_the_page() {
    use eda_playground::ui::compare_view::model::Action as CompareAction;
    use eda_playground::ui::session::SharedSession;
    use eda_playground::ui::wordcount::model::Action as WordCountAction;

    let shared = SharedSession::default();
    shared.session(|| Session::new(5));
    {
        let wc = shared.wordcount("#/wordcount?partitions=2");
        let mut wc = wc.borrow_mut();
        wc.act(WordCountAction::Produce("all streams lead to kafka".into()));
        for _ in 0..8 {
            wc.act(WordCountAction::StepRecord);
        }
        wc.act(WordCountAction::StepNode);
    }
    {
        let cmp = shared.compare("#/eda-vs-soa?flow=order");
        let mut cmp = cmp.borrow_mut();
        cmp.act(CompareAction::SetHealth {
            service: "email".into(),
            health: eda_playground::sim::soa::Health::Down,
        });
        for _ in 0..200 {
            cmp.act(CompareAction::Frame { wall_ms: 16.7 });
        }
    }
    let doc = shared_doc(&shared, Route::WordCount).expect("complete");
    let link = link_for(
        PAGE,
        "#/wordcount?partitions=2",
        Route::WordCount,
        &eda_playground::sim::scenario::encode_link(&doc),
    );
    println!(
        "page + WordCount + EDA vs SOA: link {} characters",
        link.len()
    );

    let opened = SharedSession::default();
    opened.session(|| Session::new(0));
    opened
        .load(&decode_link(payload(&link).unwrap()).unwrap())
        .unwrap();
    let (a, b) = (
        shared.wordcount("#/wordcount"),
        opened.wordcount("#/wordcount?partitions=2"),
    );
    let (a, b) = (a.borrow(), b.borrow());
    assert_eq!(b.store_rows(), a.store_rows());
    assert!(!a.store_rows().is_empty(), "steps reached the store");
    assert_eq!(b.world().now_ms(), a.world().now_ms());
    let (c, d) = (
        shared.compare("#/eda-vs-soa"),
        opened.compare("#/eda-vs-soa"),
    );
    let (c, d) = (c.borrow(), d.borrow());
    assert_eq!(d.comparison.now_ms(), c.comparison.now_ms());
    assert_eq!(d.live(), c.live());
    assert!(!d.running, "a shared moment opens paused");
}
