//! The DSL (`StreamsBuilder`, `KStream`, `KGroupedStream`, `KTable`) and the topology it builds.
//!
//! Responsibility: turn DSL calls into processor nodes named exactly as Kafka 4's
//! `InternalStreamsBuilder` names them, and split them into sub-topologies. One counter numbers
//! everything in call order: `newProcessorName(prefix)` gives `PREFIX` + the counter as ten
//! digits, `newStoreName(prefix)` gives `PREFIX` + `STATE-STORE-` + the counter. An
//! aggregation (`count`, `reduce`, `aggregate`) names its store first, then its processor, and
//! when its key may have changed upstream (`select_key`, `group_by`) it adds the repartition
//! hop Kafka adds: `KSTREAM-SINK-`, a `KSTREAM-FILTER-` that drops null keys, and
//! `KSTREAM-SOURCE-`, reading and writing `<store>-repartition`. `count()` without arguments
//! burns no extra number (the `Materialized` overload does, which `count_as` does not since its
//! store is named). So WordCount gives source 0, flatMapValues 1, key-select 2, store 3,
//! aggregate 4, sink 5, filter 6, source 7, toStream 8, sink 9, as Kafka's does.
//!
//! Sub-topologies are the connected parts of the node graph (a repartition topic is a sink in
//! one and a source in the next); they are numbered by their source nodes' names in sorted
//! order (`InternalTopologyBuilder.makeNodeGroups`). Internal topic names are given without the
//! application id, as `describe()` shows them; the runtime prefixes `<application.id>-`.
//!
//! Invariants: node indices are dense and children always come after their parents in
//! creation order; every node belongs to exactly one sub-topology; the builder never panics
//! (its `RefCell` is only borrowed inside its own methods, never across a user closure).
//!
//! Simplified versus Kafka: no `Grouped`/`Named`/`Repartitioned` names, no `map`/`flatMap`/
//! `merge`/`branch`/joins/windows, no topology optimization (`topology.optimization=none`, the
//! default), and serdes are `String` or `Long`.

use crate::sim::vecmap::VecMap;
use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;
use std::sync::Arc;

use crate::sim::streams::value::{Serde, Value};
use crate::sim::trace::Name;

/// `ValueMapper`: a new value from the old.
pub type ValueMapper = Arc<dyn Fn(Option<&Value>) -> Option<Value> + Send + Sync>;
/// `ValueMapper<V, Iterable<VR>>`: any number of values from one.
pub type FlatValueMapper = Arc<dyn Fn(Option<&Value>) -> Vec<Option<Value>> + Send + Sync>;
/// `KeyValueMapper<K, V, KR>`: a new key from a key and value.
pub type KeyMapper = Arc<dyn Fn(Option<&Value>, Option<&Value>) -> Option<Value> + Send + Sync>;
/// `KeyValueMapper<K, V, KeyValue<KR, VR>>`: a new key and value.
pub type PairMapper =
    Arc<dyn Fn(Option<&Value>, Option<&Value>) -> (Option<Value>, Option<Value>) + Send + Sync>;
/// `Predicate<K, V>`.
pub type Predicate = Arc<dyn Fn(Option<&Value>, Option<&Value>) -> bool + Send + Sync>;
/// `Initializer<VA>`.
pub type Initializer = Arc<dyn Fn() -> Value + Send + Sync>;
/// `Aggregator<K, V, VA>`: (key, value, aggregate) → new aggregate.
pub type Aggregator = Arc<dyn Fn(&Value, &Value, &Value) -> Value + Send + Sync>;
/// `Reducer<V>`: (aggregate, value) → new aggregate.
pub type Reducer = Arc<dyn Fn(&Value, &Value) -> Value + Send + Sync>;

/// `Consumed.with(keySerde, valueSerde)`; `None` means the application's default serde.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Consumed {
    /// Key serde.
    pub key_serde: Option<Serde>,
    /// Value serde.
    pub value_serde: Option<Serde>,
}

impl Consumed {
    /// `Consumed.with(key, value)`.
    pub fn with(key: Serde, value: Serde) -> Self {
        Self {
            key_serde: Some(key),
            value_serde: Some(value),
        }
    }
}

/// `Produced.with(keySerde, valueSerde)`; `None` means the application's default serde.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Produced {
    /// Key serde.
    pub key_serde: Option<Serde>,
    /// Value serde.
    pub value_serde: Option<Serde>,
}

impl Produced {
    /// `Produced.with(key, value)`.
    pub fn with(key: Serde, value: Serde) -> Self {
        Self {
            key_serde: Some(key),
            value_serde: Some(value),
        }
    }
}

/// `Materialized`: the store's name (`None`: generated) and serdes (`None`: the default).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Materialized {
    /// `Materialized.as(name)`.
    pub store_name: Option<String>,
    /// `withKeySerde`.
    pub key_serde: Option<Serde>,
    /// `withValueSerde`.
    pub value_serde: Option<Serde>,
}

impl Materialized {
    /// `Materialized.as(storeName)`.
    pub fn as_store(name: &str) -> Self {
        Self {
            store_name: Some(name.to_string()),
            ..Self::default()
        }
    }

    /// `Materialized.with(keySerde, valueSerde)`.
    pub fn with(key: Serde, value: Serde) -> Self {
        Self {
            store_name: None,
            key_serde: Some(key),
            value_serde: Some(value),
        }
    }
}

/// A topic a node reads or writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopicRef {
    /// The name as the topology gives it (`…-repartition` without the application id).
    pub name: Name,
    /// Whether the application owns it (repartition topics): its real name is
    /// `<application.id>-<name>`.
    pub internal: bool,
}

/// How an aggregation combines values.
#[derive(Clone)]
pub enum AggregateKind {
    /// `count()`: 0, then +1 per non-null value.
    Count,
    /// `reduce(reducer)`: the first value, then `reducer(aggregate, value)`.
    Reduce(Reducer),
    /// `aggregate(initializer, aggregator)`.
    Aggregate(Initializer, Aggregator),
}

/// What a processor node does.
#[derive(Clone)]
pub enum Operation {
    /// Reads topics and deserializes.
    Source {
        /// The topics, in the order given.
        topics: Vec<TopicRef>,
        /// `Consumed` serdes.
        consumed: Consumed,
    },
    /// Keeps records the predicate accepts.
    Filter(Predicate),
    /// Replaces the value.
    MapValues(ValueMapper),
    /// Replaces the value by any number of values.
    FlatMapValues(FlatValueMapper),
    /// Replaces the key.
    SelectKey(KeyMapper),
    /// Replaces key and value.
    Map(PairMapper),
    /// Aggregates into a store (by index into [`Topology::stores`]).
    Aggregate {
        /// The store.
        store: u32,
        /// How.
        kind: AggregateKind,
    },
    /// A KTable's updates as a stream.
    ToStream,
    /// Serializes and writes to a topic.
    Sink {
        /// The topic.
        topic: TopicRef,
        /// `Produced` serdes.
        produced: Produced,
    },
}

impl Operation {
    fn kind_name(&self) -> &'static str {
        match self {
            Operation::Source { .. } => "Source",
            Operation::Filter(_) => "Filter",
            Operation::MapValues(_) => "MapValues",
            Operation::FlatMapValues(_) => "FlatMapValues",
            Operation::SelectKey(_) => "SelectKey",
            Operation::Map(_) => "Map",
            Operation::Aggregate { .. } => "Aggregate",
            Operation::ToStream => "ToStream",
            Operation::Sink { .. } => "Sink",
        }
    }
}

impl fmt::Debug for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Operation::Source { topics, consumed } => f
                .debug_struct("Source")
                .field("topics", topics)
                .field("consumed", consumed)
                .finish(),
            Operation::Sink { topic, produced } => f
                .debug_struct("Sink")
                .field("topic", topic)
                .field("produced", produced)
                .finish(),
            Operation::Aggregate { store, .. } => {
                f.debug_struct("Aggregate").field("store", store).finish()
            }
            other => f.write_str(other.kind_name()),
        }
    }
}

/// A processor node.
#[derive(Clone, Debug)]
pub struct NodeDef {
    /// Its name (`KSTREAM-FLATMAPVALUES-0000000001`, …).
    pub name: Name,
    /// What it does.
    pub op: Operation,
    /// Its children, in the order they were added (the order records are forwarded in).
    pub children: Vec<u32>,
    /// Its parents.
    pub parents: Vec<u32>,
}

/// A key-value store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreDef {
    /// Its name (`KSTREAM-AGGREGATE-STATE-STORE-0000000003`, or the user's).
    pub name: Name,
    /// Key serde (`None`: the default).
    pub key_serde: Option<Serde>,
    /// Value serde (`None`: the default).
    pub value_serde: Option<Serde>,
}

/// A sub-topology: the nodes one task runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subtopology {
    /// Its id (`0`, `1`, …): the first part of its task ids.
    pub id: u32,
    /// Its nodes, by index.
    pub nodes: Vec<u32>,
    /// The topics its source nodes read, in node order.
    pub source_topics: Vec<TopicRef>,
    /// The stores its nodes use.
    pub stores: Vec<u32>,
}

// ---------------------------------------------------------------------------------------------
// The builder

#[derive(Default)]
struct BuilderState {
    index: u32,
    nodes: Vec<NodeDef>,
    stores: Vec<StoreDef>,
}

impl BuilderState {
    fn next_index(&mut self) -> u32 {
        let index = self.index;
        self.index = self.index.saturating_add(1);
        index
    }

    fn new_processor_name(&mut self, prefix: &str) -> Name {
        let index = self.next_index();
        Name::from(format!("{prefix}{index:010}"))
    }

    fn new_store_name(&mut self, prefix: &str) -> Name {
        let index = self.next_index();
        Name::from(format!("{prefix}STATE-STORE-{index:010}"))
    }

    fn add_node(&mut self, name: Name, op: Operation, parent: Option<u32>) -> u32 {
        let id = self.nodes.len() as u32;
        self.nodes.push(NodeDef {
            name,
            op,
            children: Vec::new(),
            parents: parent.into_iter().collect(),
        });
        if let Some(parent) = parent
            && let Some(p) = self.nodes.get_mut(parent as usize)
        {
            p.children.push(id);
        }
        id
    }
}

/// `StreamsBuilder`: where a topology starts. Cheap to clone (the streams it hands out share
/// it).
#[derive(Clone, Default)]
pub struct StreamsBuilder {
    state: Rc<RefCell<BuilderState>>,
}

impl fmt::Debug for StreamsBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StreamsBuilder")
    }
}

impl StreamsBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// `builder.stream(topic)` with the default serdes.
    pub fn stream(&self, topic: &str) -> KStream {
        self.stream_with(topic, Consumed::default())
    }

    /// `builder.stream(topic, Consumed.with(…))`.
    pub fn stream_with(&self, topic: &str, consumed: Consumed) -> KStream {
        let node = {
            let mut state = self.state.borrow_mut();
            let name = state.new_processor_name("KSTREAM-SOURCE-");
            state.add_node(
                name,
                Operation::Source {
                    topics: vec![TopicRef {
                        name: Name::from(topic),
                        internal: false,
                    }],
                    consumed,
                },
                None,
            )
        };
        KStream {
            builder: self.clone(),
            node,
            repartition_required: false,
            key_serde: consumed.key_serde,
            value_serde: consumed.value_serde,
        }
    }

    /// `builder.build()`: the topology, split into sub-topologies.
    pub fn build(&self) -> Topology {
        let state = self.state.borrow();
        Topology::from_parts(state.nodes.clone(), state.stores.clone())
    }

    fn add(&self, prefix: &str, op: Operation, parent: u32) -> u32 {
        let mut state = self.state.borrow_mut();
        let name = state.new_processor_name(prefix);
        state.add_node(name, op, Some(parent))
    }
}

/// `KStream<K, V>`: a record stream.
#[derive(Clone, Debug)]
pub struct KStream {
    builder: StreamsBuilder,
    node: u32,
    repartition_required: bool,
    key_serde: Option<Serde>,
    value_serde: Option<Serde>,
}

impl KStream {
    fn derive(&self, node: u32, repartition_required: bool, value_serde: Option<Serde>) -> KStream {
        KStream {
            builder: self.builder.clone(),
            node,
            repartition_required,
            key_serde: self.key_serde,
            value_serde,
        }
    }

    /// `filter(predicate)`: keeps records for which `predicate(key, value)` is true.
    pub fn filter(
        &self,
        predicate: impl Fn(Option<&Value>, Option<&Value>) -> bool + Send + Sync + 'static,
    ) -> KStream {
        let node = self.builder.add(
            "KSTREAM-FILTER-",
            Operation::Filter(Arc::new(predicate)),
            self.node,
        );
        self.derive(node, self.repartition_required, self.value_serde)
    }

    /// `mapValues(mapper)`: a new value for each record, the key unchanged.
    pub fn map_values(
        &self,
        mapper: impl Fn(Option<&Value>) -> Option<Value> + Send + Sync + 'static,
    ) -> KStream {
        let node = self.builder.add(
            "KSTREAM-MAPVALUES-",
            Operation::MapValues(Arc::new(mapper)),
            self.node,
        );
        self.derive(node, self.repartition_required, None)
    }

    /// `flatMapValues(mapper)`: any number of values for each record, each with the same key.
    pub fn flat_map_values(
        &self,
        mapper: impl Fn(Option<&Value>) -> Vec<Option<Value>> + Send + Sync + 'static,
    ) -> KStream {
        let node = self.builder.add(
            "KSTREAM-FLATMAPVALUES-",
            Operation::FlatMapValues(Arc::new(mapper)),
            self.node,
        );
        self.derive(node, self.repartition_required, None)
    }

    /// `selectKey(mapper)`: a new key for each record; a later aggregation repartitions.
    pub fn select_key(
        &self,
        mapper: impl Fn(Option<&Value>, Option<&Value>) -> Option<Value> + Send + Sync + 'static,
    ) -> KStream {
        let node = self.builder.add(
            "KSTREAM-KEY-SELECT-",
            Operation::SelectKey(Arc::new(mapper)),
            self.node,
        );
        let mut next = self.derive(node, true, self.value_serde);
        next.key_serde = None;
        next
    }

    /// `map(mapper)`: a new key and value for each record; a later aggregation repartitions.
    pub fn map(
        &self,
        mapper: impl Fn(Option<&Value>, Option<&Value>) -> (Option<Value>, Option<Value>)
        + Send
        + Sync
        + 'static,
    ) -> KStream {
        let node = self
            .builder
            .add("KSTREAM-MAP-", Operation::Map(Arc::new(mapper)), self.node);
        let mut next = self.derive(node, true, None);
        next.key_serde = None;
        next
    }

    /// `groupBy(mapper)`: `selectKey(mapper)` then `groupByKey()`; the aggregation repartitions.
    pub fn group_by(
        &self,
        mapper: impl Fn(Option<&Value>, Option<&Value>) -> Option<Value> + Send + Sync + 'static,
    ) -> KGroupedStream {
        let selected = self.select_key(mapper);
        KGroupedStream {
            builder: selected.builder,
            parent: selected.node,
            repartition_required: true,
            key_serde: None,
            value_serde: selected.value_serde,
        }
    }

    /// `groupByKey()`: group by the current key; repartitions only if the key may have changed.
    pub fn group_by_key(&self) -> KGroupedStream {
        KGroupedStream {
            builder: self.builder.clone(),
            parent: self.node,
            repartition_required: self.repartition_required,
            key_serde: self.key_serde,
            value_serde: self.value_serde,
        }
    }

    /// `to(topic)` with the default serdes.
    pub fn to(&self, topic: &str) {
        self.to_with(topic, Produced::default());
    }

    /// `to(topic, Produced.with(…))`.
    pub fn to_with(&self, topic: &str, produced: Produced) {
        self.builder.add(
            "KSTREAM-SINK-",
            Operation::Sink {
                topic: TopicRef {
                    name: Name::from(topic),
                    internal: false,
                },
                produced,
            },
            self.node,
        );
    }
}

/// `KGroupedStream<K, V>`: a stream grouped by key, ready to aggregate.
#[derive(Clone, Debug)]
pub struct KGroupedStream {
    builder: StreamsBuilder,
    parent: u32,
    repartition_required: bool,
    key_serde: Option<Serde>,
    value_serde: Option<Serde>,
}

impl KGroupedStream {
    /// `count()`: the number of records per key (records with a null key or value are
    /// skipped). The store is `KSTREAM-AGGREGATE-STATE-STORE-<n>`.
    pub fn count(&self) -> KTable {
        let store = self
            .builder
            .state
            .borrow_mut()
            .new_store_name("KSTREAM-AGGREGATE-");
        self.build(
            store,
            "KSTREAM-AGGREGATE-",
            AggregateKind::Count,
            Some(Serde::Long),
        )
    }

    /// `count(Materialized.as(storeName))`: `count()` into a store named by the user.
    pub fn count_as(&self, store_name: &str) -> KTable {
        self.count_with(Materialized::as_store(store_name))
    }

    /// `count(materialized)`. Without a store name Kafka burns one number first ("we used to
    /// burn a topology name here, so we have to keep doing it for compatibility") and then
    /// generates the store name.
    pub fn count_with(&self, materialized: Materialized) -> KTable {
        let store = match &materialized.store_name {
            Some(name) => Name::from(name.as_str()),
            None => {
                let mut state = self.builder.state.borrow_mut();
                state.next_index();
                state.new_store_name("KSTREAM-AGGREGATE-")
            }
        };
        // The store's key serde is the grouping's (a `Materialized` key serde is not modelled).
        self.build(
            store,
            "KSTREAM-AGGREGATE-",
            AggregateKind::Count,
            materialized.value_serde.or(Some(Serde::Long)),
        )
    }

    /// `reduce(reducer)`: the first value per key, then `reducer(aggregate, value)`.
    pub fn reduce(
        &self,
        reducer: impl Fn(&Value, &Value) -> Value + Send + Sync + 'static,
    ) -> KTable {
        let store = self
            .builder
            .state
            .borrow_mut()
            .new_store_name("KSTREAM-REDUCE-");
        let value_serde = self.value_serde;
        self.build(
            store,
            "KSTREAM-REDUCE-",
            AggregateKind::Reduce(Arc::new(reducer)),
            value_serde,
        )
    }

    /// `aggregate(initializer, aggregator, Materialized.with(keySerde, valueSerde))`: the
    /// aggregate's serde must be given when it is not the default.
    pub fn aggregate(
        &self,
        initializer: impl Fn() -> Value + Send + Sync + 'static,
        aggregator: impl Fn(&Value, &Value, &Value) -> Value + Send + Sync + 'static,
        aggregate_serde: Option<Serde>,
    ) -> KTable {
        let store = self
            .builder
            .state
            .borrow_mut()
            .new_store_name("KSTREAM-AGGREGATE-");
        self.build(
            store,
            "KSTREAM-AGGREGATE-",
            AggregateKind::Aggregate(Arc::new(initializer), Arc::new(aggregator)),
            aggregate_serde,
        )
    }

    fn build(
        &self,
        store_name: Name,
        prefix: &str,
        kind: AggregateKind,
        store_value_serde: Option<Serde>,
    ) -> KTable {
        let mut state = self.builder.state.borrow_mut();
        let aggregate_name = state.new_processor_name(prefix);
        let store = state.stores.len() as u32;
        state.stores.push(StoreDef {
            name: store_name.clone(),
            key_serde: self.key_serde,
            value_serde: store_value_serde,
        });
        let mut parent = self.parent;
        if self.repartition_required {
            // KStreamImpl.createRepartitionedSource: the names are drawn sink, filter, source.
            let topic = TopicRef {
                name: Name::from(format!("{store_name}-repartition")),
                internal: true,
            };
            let sink_name = state.new_processor_name("KSTREAM-SINK-");
            let filter_name = state.new_processor_name("KSTREAM-FILTER-");
            let source_name = state.new_processor_name("KSTREAM-SOURCE-");
            let filter = state.add_node(
                filter_name,
                Operation::Filter(Arc::new(|key: Option<&Value>, _: Option<&Value>| {
                    key.is_some()
                })),
                Some(parent),
            );
            state.add_node(
                sink_name,
                Operation::Sink {
                    topic: topic.clone(),
                    produced: Produced {
                        key_serde: self.key_serde,
                        value_serde: self.value_serde,
                    },
                },
                Some(filter),
            );
            parent = state.add_node(
                source_name,
                Operation::Source {
                    topics: vec![topic],
                    consumed: Consumed {
                        key_serde: self.key_serde,
                        value_serde: self.value_serde,
                    },
                },
                None,
            );
        }
        let node = state.add_node(
            aggregate_name,
            Operation::Aggregate { store, kind },
            Some(parent),
        );
        KTable {
            builder: self.builder.clone(),
            node,
            key_serde: self.key_serde,
            value_serde: store_value_serde,
        }
    }
}

/// `KTable<K, V>`: a changelog stream, the latest value per key.
#[derive(Clone, Debug)]
pub struct KTable {
    builder: StreamsBuilder,
    node: u32,
    key_serde: Option<Serde>,
    value_serde: Option<Serde>,
}

impl KTable {
    /// `toStream()`: every update as a record.
    pub fn to_stream(&self) -> KStream {
        let node = self
            .builder
            .add("KTABLE-TOSTREAM-", Operation::ToStream, self.node);
        KStream {
            builder: self.builder.clone(),
            node,
            repartition_required: false,
            key_serde: self.key_serde,
            value_serde: self.value_serde,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The built topology

/// A built topology: nodes, stores and sub-topologies.
#[derive(Clone, Debug)]
pub struct Topology {
    nodes: Vec<NodeDef>,
    stores: Vec<StoreDef>,
    subtopologies: Vec<Subtopology>,
    /// The sub-topology of each node.
    node_subtopology: Vec<u32>,
}

impl Topology {
    fn from_parts(nodes: Vec<NodeDef>, stores: Vec<StoreDef>) -> Self {
        let count = nodes.len();
        // Union-find over parent/child edges and shared stores.
        let mut root: Vec<usize> = (0..count).collect();
        fn find(root: &mut [usize], mut x: usize) -> usize {
            while let Some(&parent) = root.get(x) {
                if parent == x {
                    break;
                }
                let grand = root.get(parent).copied().unwrap_or(parent);
                if let Some(slot) = root.get_mut(x) {
                    *slot = grand;
                }
                x = parent;
            }
            x
        }
        fn union(root: &mut [usize], a: usize, b: usize) {
            let (ra, rb) = (find(root, a), find(root, b));
            if ra != rb
                && let Some(slot) = root.get_mut(ra.max(rb))
            {
                *slot = ra.min(rb);
            }
        }
        let mut store_users: VecMap<u32, usize> = VecMap::new();
        for (i, node) in nodes.iter().enumerate() {
            for &child in &node.children {
                union(&mut root, i, child as usize);
            }
            if let Operation::Aggregate { store, .. } = &node.op {
                match store_users.get(store) {
                    Some(&other) => union(&mut root, i, other),
                    None => {
                        store_users.insert(*store, i);
                    }
                }
            }
        }
        // Group ids: source nodes in name order first, then the rest in name order.
        let mut by_name: Vec<usize> = (0..count).collect();
        crate::sim::sort::sort_by(&mut by_name, |a, b| {
            let (na, nb) = (&nodes[*a], &nodes[*b]);
            let sa = matches!(na.op, Operation::Source { .. });
            let sb = matches!(nb.op, Operation::Source { .. });
            sb.cmp(&sa).then_with(|| na.name.cmp(&nb.name))
        });
        let mut group_of_root: VecMap<usize, u32> = VecMap::new();
        for &i in &by_name {
            let r = find(&mut root, i);
            let next = group_of_root.len() as u32;
            group_of_root.entry(r).or_insert(next);
        }
        let mut node_subtopology = vec![0u32; count];
        for (i, slot) in node_subtopology.iter_mut().enumerate() {
            let r = find(&mut root, i);
            *slot = group_of_root.get(&r).copied().unwrap_or(0);
        }
        let mut subtopologies: Vec<Subtopology> = (0..group_of_root.len() as u32)
            .map(|id| Subtopology {
                id,
                nodes: Vec::new(),
                source_topics: Vec::new(),
                stores: Vec::new(),
            })
            .collect();
        for (i, node) in nodes.iter().enumerate() {
            let Some(sub) = subtopologies.get_mut(node_subtopology[i] as usize) else {
                continue;
            };
            sub.nodes.push(i as u32);
            match &node.op {
                Operation::Source { topics, .. } => {
                    sub.source_topics.extend(topics.iter().cloned())
                }
                Operation::Aggregate { store, .. } if !sub.stores.contains(store) => {
                    sub.stores.push(*store)
                }
                _ => {}
            }
        }
        Self {
            nodes,
            stores,
            subtopologies,
            node_subtopology,
        }
    }

    /// Its nodes, by index.
    pub fn nodes(&self) -> &[NodeDef] {
        &self.nodes
    }

    /// One node.
    pub fn node(&self, index: u32) -> Option<&NodeDef> {
        self.nodes.get(index as usize)
    }

    /// The node named `name`.
    pub fn node_index(&self, name: &str) -> Option<u32> {
        self.nodes
            .iter()
            .position(|n| &*n.name == name)
            .map(|i| i as u32)
    }

    /// Its stores, by index.
    pub fn stores(&self) -> &[StoreDef] {
        &self.stores
    }

    /// Its sub-topologies, by id.
    pub fn subtopologies(&self) -> &[Subtopology] {
        &self.subtopologies
    }

    /// The sub-topology a node belongs to.
    pub fn subtopology_of(&self, node: u32) -> Option<u32> {
        self.node_subtopology.get(node as usize).copied()
    }

    /// The repartition topics (names without the application id), each with the sub-topology
    /// that writes it, in node order.
    pub fn repartition_topics(&self) -> Vec<(Name, u32)> {
        let mut out: Vec<(Name, u32)> = Vec::new();
        for (i, node) in self.nodes.iter().enumerate() {
            if let Operation::Sink { topic, .. } = &node.op
                && topic.internal
                && !out.iter().any(|(t, _)| *t == topic.name)
            {
                out.push((topic.name.clone(), self.node_subtopology[i]));
            }
        }
        out
    }

    /// The changelog topic of a store, without the application id: `<store>-changelog`.
    pub fn changelog_topic(&self, store: u32) -> Option<Name> {
        self.stores
            .get(store as usize)
            .map(|s| Name::from(format!("{}-changelog", s.name)))
    }

    /// `topology.describe()`, as Kafka's `TopologyDescription.toString()` prints it.
    pub fn describe(&self) -> String {
        crate::sim::streams::describe::describe(self)
    }
}
