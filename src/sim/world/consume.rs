//! Consuming: consumer clients, fetching (long polls woken by new data), positions, offset
//! commits (automatic and manual), lag, and the offsets tooling (`--reset-offsets`,
//! `--delete`).

use crate::sim::client::{Consumer, ConsumerConfig, ConsumerState, OffsetReset};
use crate::sim::command::{OffsetTarget, Subscription};
use crate::sim::error::SimError;
use crate::sim::group::{Committed, Group, GroupState};
use crate::sim::log::Bytes;
use crate::sim::trace::{Name, RebalanceReason, TraceKind};
use crate::sim::vecmap::VecSet;
use crate::sim::world::{Due, World, capped};

/// One fetched record: offset, key, value.
type Fetched = (u64, Option<Bytes>, Option<Bytes>);
/// One partition's records in a fetch: topic, partition, the broker they came from, and the
/// end of its run in the fetched records.
type Run = (Name, u32, u32, usize);

/// Most consumers a world holds at once.
pub const MAX_CONSUMERS: u32 = 64;
/// Stopped or crashed consumers a world remembers (for views and `consumer(id)`); older ones
/// are forgotten when a new consumer starts, so stopping and starting all day stays bounded.
pub const MAX_STOPPED_CONSUMERS: u32 = 64;
/// Most members in one group.
pub const MAX_MEMBERS: u32 = 32;

/// One partition's row in a group's lag table (what `kafka-consumer-groups.sh --describe` shows).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartitionLag {
    pub topic: Name,
    pub partition: u32,
    /// The group's committed offset, if it has one.
    pub current_offset: Option<u64>,
    /// The partition's log end as consumers see it (the high watermark).
    pub log_end_offset: u64,
    /// `log_end_offset - current_offset`, when there is a committed offset.
    pub lag: Option<u64>,
    /// The member that owns the partition now, if any.
    pub member_id: Option<Name>,
    pub client_id: Option<String>,
    pub consumer: Option<u32>,
}

impl World {
    /// A consumer's state.
    pub fn consumer(&self, id: u32) -> Option<&Consumer> {
        self.consumers.get(&id)
    }

    /// All consumers, alive or not.
    pub fn consumers(&self) -> impl Iterator<Item = &Consumer> {
        self.consumers.values()
    }

    /// A group as the coordinator knows it.
    pub fn group(&self, id: &str) -> Option<&Group> {
        self.groups.get(id)
    }

    /// All groups.
    pub fn groups(&self) -> impl Iterator<Item = &Group> {
        self.groups.values()
    }

    /// The lag table of a group: every partition it has a committed offset for or owns, by
    /// topic and partition.
    pub fn group_lag(&self, group: &str) -> Vec<PartitionLag> {
        let Some(g) = self.groups.get(group) else {
            return Vec::new();
        };
        let mut keys: VecSet<(Name, u32)> = g.committed.keys().cloned().collect();
        for m in g.members.values() {
            keys.extend(m.assignment.iter().cloned());
        }
        keys.into_iter()
            .map(|(topic, partition)| {
                let log_end = self
                    .topics
                    .get(&topic)
                    .and_then(|t| t.partitions.get(partition as usize))
                    .map_or(0, |p| p.high_watermark);
                let current = g
                    .committed
                    .get(&(topic.clone(), partition))
                    .map(|c| c.offset);
                let owner = g.owner_of(&topic, partition);
                PartitionLag {
                    lag: current.map(|c| log_end.saturating_sub(c)),
                    current_offset: current,
                    log_end_offset: log_end,
                    member_id: owner.map(|m| m.member_id.clone()),
                    client_id: owner.map(|m| m.client_id.clone()),
                    consumer: owner.map(|m| m.consumer),
                    topic,
                    partition,
                }
            })
            .collect()
    }

    /// Kafka's coordinator for a group: the leader of its `__consumer_offsets` partition,
    /// `abs(groupId.hashCode()) % offsets.topic.num.partitions`.
    pub fn coordinator_partition(&self, group: &str) -> u32 {
        let n = self.config.offsets_topic_num_partitions.max(1);
        let hash = java_string_hash(group);
        let abs = if hash == i32::MIN { 0 } else { hash.abs() };
        (abs as u32) % n
    }

    pub(crate) fn coordinator_broker(&mut self, group: &str) -> u32 {
        let partition = self.coordinator_partition(group);
        self.ensure_offsets_topic()
            .and_then(|t| self.topics.get(&t))
            .and_then(|t| t.partitions.get(partition as usize))
            .and_then(|p| p.leader)
            .unwrap_or(0)
    }

    // -----------------------------------------------------------------------------------------
    // Commands

    /// Forgets the oldest stopped consumers beyond [`MAX_STOPPED_CONSUMERS`].
    fn forget_stopped_consumers(&mut self) {
        let stopped: Vec<u32> = self
            .consumers
            .values()
            .filter(|c| !c.is_alive())
            .map(|c| c.id)
            .collect();
        let excess = stopped.len().saturating_sub(MAX_STOPPED_CONSUMERS as usize);
        for id in stopped.into_iter().take(excess) {
            self.consumers.remove(&id);
        }
    }

    pub(crate) fn add_consumer_inner(
        &mut self,
        mut config: ConsumerConfig,
        subscription: Subscription,
    ) -> Result<u32, SimError> {
        if self.consumers.values().filter(|c| c.is_alive()).count() as u32 >= MAX_CONSUMERS {
            return Err(SimError::LimitExceeded(format!(
                "The playground runs at most {MAX_CONSUMERS} consumers at once."
            )));
        }
        if let Some(group) = &config.group_id {
            if group.is_empty() {
                return Err(SimError::InvalidGroupId(
                    "The configured groupId is invalid".to_string(),
                ));
            }
            let members = self
                .groups
                .get(group.as_str())
                .map_or(0, |g| g.members.len());
            if members as u32 >= MAX_MEMBERS {
                return Err(SimError::LimitExceeded(format!(
                    "The playground allows at most {MAX_MEMBERS} members per group."
                )));
            }
        }
        let (topics, manual) = match &subscription {
            Subscription::Topics(topics) => {
                if config.group_id.is_none() {
                    return Err(SimError::InvalidGroupId(
                        "To use the group management or offset commit APIs, you must provide a valid group.id in the consumer configuration.".to_string(),
                    ));
                }
                if topics.is_empty() {
                    return Err(SimError::InvalidRequest(
                        "Topic collection to subscribe to cannot be empty".to_string(),
                    ));
                }
                (topics.clone(), false)
            }
            Subscription::Partitions(parts) => {
                for (topic, partition) in parts {
                    let count = self.topics.get(topic.as_str()).map(|t| t.partition_count());
                    match count {
                        Some(n) if *partition < n => {}
                        _ => {
                            return Err(SimError::UnknownTopicOrPartition(
                                "This server does not host this topic-partition.".to_string(),
                            ));
                        }
                    }
                }
                (Vec::new(), true)
            }
        };
        // Subscribing to a missing topic creates it when the broker allows (the consumer's
        // allow.auto.create.topics is true by default).
        for topic in &topics {
            crate::sim::validate::validate_topic_name(topic)?;
            if self.topics.contains_key(topic.as_str()) || self.config.auto_create_topics {
                self.auto_create(topic)?;
            }
        }
        self.forget_stopped_consumers();
        let id = self.next_client_id;
        self.next_client_id += 1;
        if config.client_id.is_empty() {
            config.client_id = self.client_names.next_consumer(config.group_id.as_deref());
        }
        let group: Option<Name> = config.group_id.as_deref().map(Name::from);
        let mut consumer = Consumer {
            id,
            config,
            group: group.clone(),
            member_id: None,
            generation: -1,
            subscription: topics,
            manual,
            state: ConsumerState::Joining,
            assignment: Default::default(),
            positions: Default::default(),
            fetch_in_flight: false,
            parked: false,
            poll_seq: 0,
            commit_seq: 0,
            records_consumed: 0,
            timers_started: false,
            assignment_generation: -1,
            previous_assignment: Vec::new(),
        };
        if let Subscription::Partitions(parts) = subscription {
            consumer.state = ConsumerState::Active;
            for (topic, partition) in parts {
                if let Some(name) = self.topic_name(&topic) {
                    consumer.assignment.insert((name, partition));
                }
            }
        }
        self.consumers.insert(id, consumer);
        self.emit(TraceKind::ConsumerStarted {
            consumer: id,
            group: group.clone(),
        });
        if manual {
            self.init_positions(id);
            self.start_timers(id);
            self.restart_auto_commit(id);
            self.schedule_poll(id, 0);
        } else {
            self.send_join(id);
        }
        Ok(id)
    }

    pub(crate) fn stop_consumer_inner(&mut self, id: u32) -> Result<(), SimError> {
        let consumer = self.alive_consumer(id)?;
        let group = consumer.group.clone();
        let member = consumer.member_id.clone();
        let auto_commit = consumer.config.enable_auto_commit;
        if auto_commit {
            // close() commits synchronously before leaving.
            self.send_commit(id);
        }
        if let Some(c) = self.consumers.get_mut(&id) {
            c.state = ConsumerState::Stopped;
            c.assignment.clear();
        }
        self.emit(TraceKind::ConsumerStopped { consumer: id });
        if let (Some(group), Some(member)) = (group, member) {
            self.remove_member(
                &group,
                &member,
                RebalanceReason::MemberLeft(member.to_string()),
            );
        }
        Ok(())
    }

    pub(crate) fn crash_consumer_inner(&mut self, id: u32) -> Result<(), SimError> {
        self.alive_consumer(id)?;
        if let Some(c) = self.consumers.get_mut(&id) {
            c.state = ConsumerState::Crashed;
        }
        self.emit(TraceKind::ConsumerCrashed { consumer: id });
        Ok(())
    }

    pub(crate) fn commit_inner(&mut self, id: u32) -> Result<(), SimError> {
        let consumer = self.alive_consumer(id)?;
        if consumer.group.is_none() {
            return Err(SimError::InvalidGroupId(
                "To use the group management or offset commit APIs, you must provide a valid group.id in the consumer configuration.".to_string(),
            ));
        }
        self.send_commit(id);
        Ok(())
    }

    pub(crate) fn seek_inner(
        &mut self,
        id: u32,
        topic: &str,
        partition: u32,
        offset: u64,
    ) -> Result<(), SimError> {
        self.alive_consumer(id)?;
        let Some(c) = self.consumers.get_mut(&id) else {
            return Ok(());
        };
        let Some(tp) = c
            .assignment
            .iter()
            .find(|(t, p)| **t == *topic && *p == partition)
            .cloned()
        else {
            // KafkaConsumer.seek's IllegalStateException.
            return Err(SimError::InvalidRequest(format!(
                "No current assignment for partition {topic}-{partition}"
            )));
        };
        c.positions.insert(tp, offset);
        Ok(())
    }

    fn alive_consumer(&self, id: u32) -> Result<&Consumer, SimError> {
        match self.consumers.get(&id) {
            Some(c) if c.is_alive() => Ok(c),
            Some(_) => Err(SimError::InvalidRequest(format!(
                "Consumer {id} is not running."
            ))),
            None => Err(SimError::InvalidRequest(format!(
                "There is no consumer {id}."
            ))),
        }
    }

    pub(crate) fn reset_offsets_inner(
        &mut self,
        group: &str,
        topic: Option<&str>,
        only: Option<&[u32]>,
        target: &OffsetTarget,
        execute: bool,
    ) -> Result<Vec<(String, u32, u64)>, SimError> {
        if let Some(g) = self.groups.get(group)
            && !matches!(g.state, GroupState::Empty | GroupState::Dead)
        {
            return Err(SimError::InvalidRequest(format!(
                "Assignments can only be reset if the group '{group}' is inactive, but the current state is {}.",
                g.state.name()
            )));
        }
        let partitions: Vec<(Name, u32)> = match topic {
            Some(t) => {
                let Some(topic) = self.topics.get(t) else {
                    return Err(SimError::UnknownTopicOrPartition(
                        "This server does not host this topic-partition.".to_string(),
                    ));
                };
                match only {
                    // `--topic t:0,1`: the partitions named, each of which must exist.
                    Some(only) => {
                        if only.iter().any(|p| *p >= topic.partition_count()) {
                            return Err(SimError::UnknownTopicOrPartition(
                                "This server does not host this topic-partition.".to_string(),
                            ));
                        }
                        only.iter().map(|p| (topic.name.clone(), *p)).collect()
                    }
                    None => (0..topic.partition_count())
                        .map(|p| (topic.name.clone(), p))
                        .collect(),
                }
            }
            None => self
                .groups
                .get(group)
                .map(|g| g.committed.keys().cloned().collect())
                .unwrap_or_default(),
        };
        let mut result = Vec::new();
        for (t, p) in partitions {
            let Some(part) = self
                .topics
                .get(&t)
                .and_then(|x| x.partitions.get(p as usize))
            else {
                continue;
            };
            let (start, end) = (part.log.log_start_offset(), part.high_watermark);
            let current = self
                .groups
                .get(group)
                .and_then(|g| g.committed.get(&(t.clone(), p)))
                .map(|c| c.offset);
            let offset = match target {
                OffsetTarget::Earliest => start,
                OffsetTarget::Latest => end,
                OffsetTarget::Offset(n) => (*n).clamp(start, end),
                OffsetTarget::ShiftBy(d) => {
                    let base = current.unwrap_or(end) as i64;
                    (base.saturating_add(*d)).clamp(start as i64, end as i64) as u64
                }
            };
            result.push((t.to_string(), p, offset));
        }
        if execute {
            let now = self.now_ms;
            let name: Name = group.into();
            let g = self
                .groups
                .entry(name.clone())
                .or_insert_with(|| Group::new(name));
            for (t, p, offset) in &result {
                g.committed.insert(
                    (Name::from(t.as_str()), *p),
                    Committed {
                        offset: *offset,
                        committed_at_ms: now,
                    },
                );
            }
        }
        Ok(result)
    }

    pub(crate) fn delete_group_inner(&mut self, group: &str) -> Result<(), SimError> {
        let Some(g) = self.groups.get(group) else {
            return Err(SimError::GroupIdNotFound(
                "The group id does not exist.".to_string(),
            ));
        };
        if !g.members.is_empty() {
            return Err(SimError::GroupNotEmpty(
                "The group is not empty.".to_string(),
            ));
        }
        let name = g.id.clone();
        self.groups.remove(group);
        self.emit(TraceKind::GroupStateChanged {
            group: name,
            state: GroupState::Dead.name().to_string(),
        });
        Ok(())
    }

    // -----------------------------------------------------------------------------------------
    // Timers and fetching

    pub(crate) fn start_timers(&mut self, id: u32) {
        let Some(c) = self.consumers.get_mut(&id) else {
            return;
        };
        if c.timers_started {
            return;
        }
        c.timers_started = true;
        let heartbeat = c.config.heartbeat_interval_ms.max(1);
        let grouped = c.group.is_some() && !c.manual;
        if grouped {
            self.schedule(heartbeat, Due::Heartbeat { consumer: id });
        }
    }

    /// Sets the position of every owned partition that has none: the group's committed offset,
    /// else `auto.offset.reset`.
    pub(crate) fn init_positions(&mut self, id: u32) {
        let Some(c) = self.consumers.get(&id) else {
            return;
        };
        let reset = c.config.auto_offset_reset;
        let group = c.group.clone();
        let missing: Vec<(Name, u32)> = c
            .assignment
            .iter()
            .filter(|tp| !c.positions.contains_key(*tp))
            .cloned()
            .collect();
        let mut positions = Vec::new();
        for (topic, partition) in missing {
            let committed = group
                .as_ref()
                .and_then(|g| self.groups.get(g))
                .and_then(|g| g.committed.get(&(topic.clone(), partition)))
                .map(|c| c.offset);
            let Some(p) = self
                .topics
                .get(&topic)
                .and_then(|t| t.partitions.get(partition as usize))
            else {
                continue;
            };
            let position = match (committed, reset) {
                (Some(offset), _) => offset,
                (None, OffsetReset::Earliest) => p.log.log_start_offset(),
                (None, OffsetReset::Latest) => p.high_watermark,
                // Kafka throws NoOffsetForPartitionException; the simulated client waits at
                // the log end instead, and the trace shows no delivery.
                (None, OffsetReset::None) => p.high_watermark,
            };
            positions.push(((topic, partition), position));
        }
        if let Some(c) = self.consumers.get_mut(&id) {
            c.positions.extend(positions);
        }
    }

    /// Schedules consumer `id`'s next poll in `delay_ms`, superseding any pending one.
    pub(crate) fn schedule_poll(&mut self, id: u32, delay_ms: u64) {
        let Some(c) = self.consumers.get_mut(&id) else {
            return;
        };
        c.poll_seq += 1;
        let seq = c.poll_seq;
        self.schedule(delay_ms, Due::Poll { consumer: id, seq });
    }

    pub(crate) fn on_poll(&mut self, id: u32, seq: u64) {
        let Some(c) = self.consumers.get(&id) else {
            return;
        };
        if c.poll_seq != seq || c.state != ConsumerState::Active || c.fetch_in_flight {
            return;
        }
        // What one fetch may take: as Kafka bounds it, by bytes — max.partition.fetch.bytes
        // from each partition, fetch.max.bytes in all (Kafka counts that per leader broker;
        // here it is one total). An application that takes no time polls everything the fetch
        // brought in the same instant (max.poll.records at a time, back to back), so that is
        // all. With processing time the application takes max.poll.records per poll and the
        // next fetch waits for them, so a fetch also stops at max.poll.records (Kafka would
        // prefetch the next ones meanwhile).
        let max = if c.config.processing_ms_per_record == 0 {
            usize::MAX
        } else {
            c.config.max_poll_records.max(1) as usize
        };
        let partition_bytes = u64::from(c.config.max_partition_fetch_bytes);
        let total_bytes = u64::from(c.config.fetch_max_bytes);
        let mut fetched_bytes = 0u64;
        let reset = c.config.auto_offset_reset;
        let group = c.group.clone();
        let generation = c.generation;
        let owned: Vec<((Name, u32), u64)> = c
            .assignment
            .iter()
            .map(|tp| (tp.clone(), c.positions.get(tp).copied().unwrap_or(0)))
            .collect();
        // The fetched records, and per partition the run of them it gave.
        let mut batch: Vec<Fetched> = Vec::new();
        let mut runs: Vec<Run> = Vec::new();
        let mut new_positions = Vec::new();
        for ((topic, partition), mut position) in owned {
            if batch.len() >= max || fetched_bytes >= total_bytes {
                break;
            }
            let Some(p) = self
                .topics
                .get(&topic)
                .and_then(|t| t.partitions.get(partition as usize))
            else {
                continue;
            };
            let Some(leader) = p.leader else { continue };
            if !self.broker_alive(leader) {
                continue;
            }
            let start = p.log.log_start_offset();
            if position < start || position > p.high_watermark {
                // OFFSET_OUT_OF_RANGE: the consumer resets as auto.offset.reset says.
                position = match reset {
                    OffsetReset::Earliest => start,
                    _ => p.high_watermark,
                };
                new_positions.push(((topic.clone(), partition), position));
            }
            let hw = p.high_watermark;
            let room = max - batch.len();
            let first = batch.len();
            let mut partition_fetched = 0u64;
            for r in p.log.records_from(position).take(room) {
                if r.offset >= hw {
                    break;
                }
                let size = u64::from(r.size_bytes());
                let fits = partition_fetched + size <= partition_bytes
                    && fetched_bytes + size <= total_bytes;
                // The first record of the fetch goes whatever its size (Kafka's progress rule).
                if !fits && !batch.is_empty() {
                    break;
                }
                partition_fetched += size;
                fetched_bytes += size;
                batch.push((r.offset, r.key.clone(), r.value.clone()));
            }
            if batch.len() > first {
                runs.push((topic, partition, leader, batch.len()));
            }
        }
        if let Some(c) = self.consumers.get_mut(&id) {
            c.positions.extend(new_positions);
        }
        if batch.is_empty() {
            // Long poll: the broker holds the fetch until data arrives or fetch.max.wait.ms.
            let wait = self
                .consumers
                .get_mut(&id)
                .map(|c| {
                    c.parked = true;
                    c.config.fetch_max_wait_ms.max(1)
                })
                .unwrap_or(500);
            self.schedule_poll(id, wait);
            return;
        }
        let request = self.latency();
        let response = self.latency();
        let now = self.now_ms;
        let (sent, arrives) = (now + request, now + request + response);
        let mut ends: Vec<(Name, u32, u64)> = Vec::with_capacity(runs.len());
        let mut records = batch.into_iter();
        let mut done = 0;
        for (topic, partition, broker, run_end) in runs {
            // The group's delivery mark for the partition, to tell redeliveries.
            let mut seen = group.as_ref().and_then(|g| self.groups.get(g)).map(|g| {
                g.delivered_up_to
                    .get(&(topic.clone(), partition))
                    .copied()
                    .unwrap_or(0)
            });
            let mut end = 0;
            for (offset, key, value) in records.by_ref().take(run_end - done) {
                let duplicate = match &mut seen {
                    Some(seen) => {
                        let dup = offset < *seen;
                        *seen = (*seen).max(offset + 1);
                        dup
                    }
                    None => false,
                };
                end = offset + 1;
                self.emit(TraceKind::RecordDelivered {
                    consumer: id,
                    group: group.clone(),
                    topic: topic.clone(),
                    partition,
                    offset,
                    key,
                    value,
                    duplicate,
                    broker,
                    sent_at_ms: sent,
                    arrives_at_ms: arrives,
                });
            }
            done = run_end;
            if let Some(seen) = seen
                && let Some(g) = group.as_ref().and_then(|g| self.groups.get_mut(g))
            {
                g.delivered_up_to.insert((topic.clone(), partition), seen);
            }
            ends.push((topic, partition, end));
        }
        if let Some(c) = self.consumers.get_mut(&id) {
            c.fetch_in_flight = true;
            c.parked = false;
        }
        self.schedule_at(
            arrives,
            Due::FetchArrives {
                consumer: id,
                generation,
                records: ends,
            },
        );
    }

    pub(crate) fn on_fetch_arrives(
        &mut self,
        id: u32,
        generation: i32,
        ends: Vec<(Name, u32, u64)>,
    ) {
        let Some(c) = self.consumers.get_mut(&id) else {
            return;
        };
        c.fetch_in_flight = false;
        if !c.is_alive() {
            return;
        }
        let mut count = 0u64;
        let current_generation = c.generation == generation || c.manual;
        for (topic, partition, end) in ends {
            let key = (topic, partition);
            if current_generation && c.assignment.contains(&key) {
                let position = c.positions.entry(key).or_insert(0);
                count += end.saturating_sub(*position);
                *position = (*position).max(end);
            }
        }
        c.records_consumed += count;
        let work = c.config.processing_ms_per_record.saturating_mul(count);
        self.schedule_poll(id, work);
    }

    /// Wakes consumers parked on `(topic, partition)`: new data is readable.
    pub(crate) fn wake_consumers(&mut self, topic: &Name, partition: u32) {
        let key = (topic.clone(), partition);
        let woken: Vec<u32> = self
            .consumers
            .values_mut()
            .filter(|c| c.parked && c.assignment.contains(&key))
            .map(|c| {
                c.parked = false;
                c.id
            })
            .collect();
        for id in woken {
            // The broker answers the held fetch now; the response still has to travel.
            self.schedule_poll(id, 0);
        }
    }

    // -----------------------------------------------------------------------------------------
    // Offset commits

    /// (Re)starts a consumer's auto-commit timer: the next commit is auto.commit.interval.ms
    /// from now. Kafka starts it when a join completes, and again at every later one.
    pub(crate) fn restart_auto_commit(&mut self, id: u32) {
        let Some(c) = self.consumers.get_mut(&id) else {
            return;
        };
        if !c.config.enable_auto_commit || c.group.is_none() {
            return;
        }
        c.commit_seq += 1;
        let (seq, interval) = (c.commit_seq, c.config.auto_commit_interval_ms.max(1));
        self.schedule(interval, Due::AutoCommit { consumer: id, seq });
    }

    pub(crate) fn on_auto_commit(&mut self, id: u32, seq: u64) {
        let Some(c) = self.consumers.get(&id) else {
            return;
        };
        if !c.is_alive() || c.commit_seq != seq {
            return;
        }
        let interval = c.config.auto_commit_interval_ms.max(1);
        if c.state == ConsumerState::Active {
            self.send_commit(id);
        }
        self.schedule(interval, Due::AutoCommit { consumer: id, seq });
    }

    /// Sends an OffsetCommit with the consumer's positions for its owned partitions.
    pub(crate) fn send_commit(&mut self, id: u32) {
        let Some(c) = self.consumers.get(&id) else {
            return;
        };
        if c.group.is_none() {
            return;
        }
        let offsets: Vec<(Name, u32, u64)> = c
            .assignment
            .iter()
            .filter_map(|tp| c.positions.get(tp).map(|pos| (tp.0.clone(), tp.1, *pos)))
            .collect();
        if offsets.is_empty() {
            return;
        }
        self.commit_offsets_as(id, offsets);
    }

    /// Sends an OffsetCommit for `consumer`'s group with these offsets (the consumer's
    /// positions from `send_commit`, or what a Streams task has processed).
    pub(crate) fn commit_offsets_as(&mut self, consumer: u32, offsets: Vec<(Name, u32, u64)>) {
        let Some(c) = self.consumers.get(&consumer) else {
            return;
        };
        let Some(group) = c.group.clone() else {
            return;
        };
        let generation = if c.manual { -1 } else { c.generation };
        let latency = self.latency();
        let now = self.now_ms;
        self.emit(TraceKind::OffsetsCommitted {
            consumer,
            group: group.clone(),
            offsets: offsets.clone(),
            sent_at_ms: now,
            arrives_at_ms: now + latency,
        });
        self.schedule(
            latency,
            Due::CommitArrives {
                consumer,
                group,
                generation,
                offsets,
            },
        );
    }

    pub(crate) fn on_commit_arrives(
        &mut self,
        _consumer: u32,
        group: &Name,
        generation: i32,
        offsets: Vec<(Name, u32, u64)>,
    ) {
        let offsets_topic = self.ensure_offsets_topic();
        let now = self.now_ms;
        let cap = self.config.max_records_per_partition;
        let name = group.clone();
        let g = self
            .groups
            .entry(name.clone())
            .or_insert_with(|| Group::new(name));
        // A commit from an old generation is refused (ILLEGAL_GENERATION), except a simple
        // consumer's (generation -1) to a group without members.
        let accepted = generation == g.generation || (generation < 0 && g.members.is_empty());
        if !accepted {
            return;
        }
        for (topic, partition, offset) in &offsets {
            g.committed.insert(
                (topic.clone(), *partition),
                Committed {
                    offset: *offset,
                    committed_at_ms: now,
                },
            );
        }
        // The coordinator writes the commit to its __consumer_offsets partition.
        let partition = self.coordinator_partition(group);
        if let Some(t) = offsets_topic.and_then(|t| self.topics.get_mut(&t)) {
            let settings = capped(t, cap);
            if let Some(p) = t.partitions.get_mut(partition as usize) {
                for (topic, part, offset) in offsets {
                    let key = format!("{group},{topic},{part}");
                    let value = offset.to_string();
                    p.log.append(
                        now,
                        now,
                        Some(Bytes::from(key.as_bytes())),
                        Some(Bytes::from(value.as_bytes())),
                        Vec::new(),
                        &settings,
                    );
                }
                let end = p.log.log_end_offset();
                for r in &mut p.replicas {
                    r.log_end_offset = end;
                }
                p.high_watermark = end;
            }
        }
    }
}

/// Java's `String.hashCode()` over UTF-16 code units, with int overflow.
pub fn java_string_hash(text: &str) -> i32 {
    text.encode_utf16().fold(0i32, |h, unit| {
        h.wrapping_mul(31).wrapping_add(i32::from(unit))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_string_hash_matches_java() {
        // Values of "…".hashCode() in Java.
        assert_eq!(java_string_hash(""), 0);
        assert_eq!(java_string_hash("a"), 97);
        assert_eq!(java_string_hash("hello"), 99_162_322);
        assert_eq!(java_string_hash("polygenelubricants"), i32::MIN);
    }

    #[test]
    fn the_coordinator_partition_is_abs_hash_mod_50() {
        let world = World::new(1);
        assert_eq!(world.coordinator_partition("hello"), 99_162_322 % 50);
        assert_eq!(world.coordinator_partition("polygenelubricants"), 0);
    }
}
