//! Out-of-line element builders for the views' plain markup.
//!
//! `html!` builds every element inline (the tag, its attributes, its child list, a node ref, an
//! `Rc`), a few hundred bytes of wasm each. An element with only static attributes and no
//! listener is the same `VTag` whichever way it is built, so the views build those through these
//! few non-generic functions: same tag, attributes, children and DOM, a fraction of the code.

use yew::html::IntoPropValue;
use yew::virtual_dom::{AttrValue, AttributeOrProperty, Attributes, Listeners, VList, VNode, VTag};
use yew::{Html, NodeRef};

pub use yew::virtual_dom::AttributeOrProperty::Static as Attr;

/// Static attributes, as `html!` writes them: `&[("class", Attr("hint"))]`.
pub type Attrs = &'static [(&'static str, AttributeOrProperty)];

/// `<name attrs>children</name>`, `children` being one node (as `html!` makes it).
#[inline(never)]
pub fn tag(name: &'static str, attrs: Attrs, children: Html) -> Html {
    VTag::__new_other(
        AttrValue::Static(name),
        NodeRef::default(),
        None,
        Attributes::Static(attrs),
        Listeners::None,
        children,
    )
    .into()
}

/// `<name attrs>{ "text" }</name>`.
#[inline(never)]
pub fn text(name: &'static str, attrs: Attrs, text: &'static str) -> Html {
    tag(name, attrs, AttrValue::Static(text).into_prop_value())
}

/// `<name attrs>{ text }</name>`, with text built at run time.
#[inline(never)]
pub fn string(name: &'static str, attrs: Attrs, text: String) -> Html {
    tag(name, attrs, text.into_prop_value())
}

/// `<name attrs>{ child }{ child }…</name>`: several children, in a list as `html!` puts them.
#[inline(never)]
pub fn tags(name: &'static str, attrs: Attrs, children: Vec<Html>) -> Html {
    tag(
        name,
        attrs,
        VNode::VList(std::rc::Rc::new(VList::with_children(children, None))),
    )
}

/// `<p class="hint">{ "text" }</p>`.
#[inline(never)]
pub fn hint(text: &'static str) -> Html {
    self::text("p", &[("class", Attr("hint"))], text)
}

/// A table head: `<thead><tr>` and one `<th scope="col">` per column.
#[inline(never)]
pub fn head(columns: &[&'static str]) -> Html {
    let cells = columns
        .iter()
        .map(|c| text("th", &[("scope", Attr("col"))], c))
        .collect();
    tag("thead", &[], tags("tr", &[], cells))
}

/// `<th scope="row">{ text }</th>`.
#[inline(never)]
pub fn row_head(text: String) -> Html {
    string("th", &[("scope", Attr("row"))], text)
}
