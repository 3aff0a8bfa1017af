//! Brokers, topics and the controller's decisions: replica placement, leader election, ISR
//! changes, retention and the log cleaner. Also the read-only queries views and tools use.

use crate::sim::cluster::{
    Broker, MAX_BROKERS, MAX_PARTITIONS, MAX_TOPICS, Partition, Replica, Topic, elect_leader,
    place_replicas,
};
use crate::sim::error::SimError;
use crate::sim::log::DeletionReason;
use crate::sim::log::PartitionLog;
use crate::sim::log::RemovalReason;
use crate::sim::rng::Rng;
use crate::sim::trace::{Name, RebalanceReason, TraceKind};
use crate::sim::validate::{self, TopicConfig};
use crate::sim::world::{Due, World, capped};

/// The name of Kafka's offsets topic.
pub const OFFSETS_TOPIC: &str = "__consumer_offsets";

/// A random UUID as Kafka prints one (`Uuid.randomUuid().toString()`): 16 bytes of a version-4
/// UUID in URL-safe base64 without padding, 22 characters, never starting with '-' (Kafka
/// draws again in that case, so the id can be passed on a command line).
pub fn random_uuid_base64(rng: &mut Rng) -> String {
    loop {
        let hi = rng.next_u64();
        let lo = rng.next_u64();
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&hi.to_be_bytes());
        bytes[8..].copy_from_slice(&lo.to_be_bytes());
        bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
        bytes[8] = (bytes[8] & 0x3f) | 0x80; // IETF variant
        let text = base64_url_no_pad(&bytes);
        if !text.starts_with('-') {
            return text;
        }
    }
}

fn base64_url_no_pad(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// A topic's effective configuration and its explicit overrides, from `key=value` pairs.
fn topic_config(
    configs: &[(String, String)],
) -> Result<(TopicConfig, std::collections::BTreeMap<String, String>), SimError> {
    let mut config = TopicConfig::default();
    let mut overrides = std::collections::BTreeMap::new();
    for (key, value) in configs {
        config.set(key, value)?;
        overrides.insert(key.clone(), value.clone());
    }
    Ok((config, overrides))
}

impl World {
    // -----------------------------------------------------------------------------------------
    // Queries

    /// Brokers by node id.
    pub fn brokers(&self) -> Vec<&Broker> {
        self.brokers.values().collect()
    }

    /// Topics by name (internal ones included).
    pub fn topics(&self) -> impl Iterator<Item = &Topic> {
        self.topics.values()
    }

    /// One topic.
    pub fn topic(&self, name: &str) -> Option<&Topic> {
        self.topics.get(name)
    }

    /// Running broker ids, ascending.
    pub fn live_brokers(&self) -> Vec<u32> {
        self.brokers
            .values()
            .filter(|b| b.running)
            .map(|b| b.id)
            .collect()
    }

    // -----------------------------------------------------------------------------------------
    // Topic commands

    pub(crate) fn create_topic_inner(
        &mut self,
        name: &str,
        partitions: Option<u32>,
        replication_factor: Option<u32>,
        configs: &[(String, String)],
        internal: bool,
    ) -> Result<(), SimError> {
        validate::validate_topic_name(name)?;
        if self.topics.contains_key(name) {
            return Err(SimError::TopicExists(format!(
                "Topic '{name}' already exists."
            )));
        }
        if self.topics.len() as u32 >= MAX_TOPICS {
            return Err(SimError::LimitExceeded(format!(
                "The playground holds at most {MAX_TOPICS} topics."
            )));
        }
        let partitions = partitions.unwrap_or(self.config.num_partitions);
        validate::validate_partition_count(i64::from(partitions))?;
        if partitions > MAX_PARTITIONS {
            return Err(SimError::LimitExceeded(format!(
                "The playground allows at most {MAX_PARTITIONS} partitions per topic; asked for {partitions}."
            )));
        }
        let live = self.live_brokers();
        let rf = replication_factor.unwrap_or(self.config.default_replication_factor);
        validate::validate_replication_factor(i64::from(rf), live.len() as u32)?;
        let (config, overrides) = topic_config(configs)?;
        let start = self.rng.below(live.len() as u64) as u32;
        let shift = self.rng.below(live.len() as u64) as u32;
        let placement = place_replicas(&live, 0, partitions, rf, start, shift);
        self.insert_topic(name, placement, config, overrides, internal);
        Ok(())
    }

    /// `CreateTopics` with a manual assignment (`--replica-assignment`), checked as KRaft's
    /// `ReplicationControlManager.validateManualPartitionAssignment` checks it.
    pub(crate) fn create_topic_assigned_inner(
        &mut self,
        name: &str,
        assignment: &[Vec<u32>],
        configs: &[(String, String)],
    ) -> Result<(), SimError> {
        validate::validate_topic_name(name)?;
        if self.topics.contains_key(name) {
            return Err(SimError::TopicExists(format!(
                "Topic '{name}' already exists."
            )));
        }
        if self.topics.len() as u32 >= MAX_TOPICS {
            return Err(SimError::LimitExceeded(format!(
                "The playground holds at most {MAX_TOPICS} topics."
            )));
        }
        if assignment.is_empty() || assignment.len() as u32 > MAX_PARTITIONS {
            return Err(SimError::LimitExceeded(format!(
                "The playground allows 1 to {MAX_PARTITIONS} partitions per topic; the assignment has {}.",
                assignment.len()
            )));
        }
        let rf = assignment[0].len();
        for replicas in assignment {
            if replicas.is_empty() {
                return Err(SimError::InvalidReplicationFactor(
                    "The manual partition assignment includes an empty replica list.".to_string(),
                ));
            }
            if replicas.len() != rf {
                return Err(SimError::InvalidReplicationFactor(
                    "All partitions in the manual partition assignment must have the same number of replicas.".to_string(),
                ));
            }
            self.check_manual_replicas(replicas)?;
        }
        let (config, overrides) = topic_config(configs)?;
        self.insert_topic(name, assignment.to_vec(), config, overrides, false);
        Ok(())
    }

    /// One partition's replicas in a manual assignment (topic creation or reassignment): no
    /// broker twice, every broker registered (`validateManualPartitionAssignment`).
    pub(crate) fn check_manual_replicas(&self, replicas: &[u32]) -> Result<(), SimError> {
        for (i, broker) in replicas.iter().enumerate() {
            if replicas[..i].contains(broker) {
                return Err(SimError::InvalidReplicationFactor(format!(
                    "The manual partition assignment includes broker {broker} more than once."
                )));
            }
            if !self.brokers.contains_key(broker) {
                return Err(SimError::BrokerNotAvailable(format!(
                    "The manual partition assignment includes broker {broker}, but no such broker is registered."
                )));
            }
        }
        Ok(())
    }

    /// Adds a topic whose partitions have these replicas (leader: the first; ISR: all) and
    /// reports it.
    fn insert_topic(
        &mut self,
        name: &str,
        placement: Vec<Vec<u32>>,
        config: TopicConfig,
        overrides: std::collections::BTreeMap<String, String>,
        internal: bool,
    ) {
        let partitions = placement.len() as u32;
        let rf = placement.first().map_or(0, |r| r.len() as u32);
        let topic_id = random_uuid_base64(&mut self.rng);
        let name: Name = name.into();
        let parts = placement
            .into_iter()
            .enumerate()
            .map(|(id, replicas)| self.new_partition(id as u32, replicas))
            .collect::<Vec<_>>();
        let topic = Topic {
            name: name.clone(),
            topic_id,
            partitions: parts,
            config,
            overrides,
            internal,
        };
        let leaders: Vec<(u32, Option<u32>)> =
            topic.partitions.iter().map(|p| (p.id, p.leader)).collect();
        self.topics.insert(name.clone(), topic);
        self.emit(TraceKind::TopicCreated {
            topic: name.clone(),
            partitions,
            replication_factor: rf,
        });
        for (partition, leader) in leaders {
            self.emit(TraceKind::LeaderChanged {
                topic: name.clone(),
                partition,
                leader,
                leader_epoch: 0,
            });
        }
        self.on_metadata_changed(&name);
    }

    fn new_partition(&self, id: u32, replicas: Vec<u32>) -> Partition {
        let leader = replicas.first().copied();
        Partition {
            id,
            isr: replicas.clone(),
            replicas: replicas
                .into_iter()
                .map(|broker| Replica {
                    broker,
                    log_end_offset: 0,
                    last_caught_up_ms: self.now_ms,
                })
                .collect(),
            leader,
            leader_epoch: 0,
            high_watermark: 0,
            log: PartitionLog::new(self.now_ms),
            adding_replicas: Vec::new(),
            removing_replicas: Vec::new(),
        }
    }

    /// Creates `topic` as `auto.create.topics.enable` would, when a client asks for it.
    pub(crate) fn auto_create(&mut self, topic: &str) -> Result<Name, SimError> {
        if let Some(name) = self.topic_name(topic) {
            return Ok(name);
        }
        if !self.config.auto_create_topics {
            return Err(SimError::UnknownTopicOrPartition(format!(
                "Topic {topic} not present in metadata after 60000 ms."
            )));
        }
        let rf = self
            .config
            .default_replication_factor
            .min(self.live_brokers().len() as u32)
            .max(1);
        self.create_topic_inner(topic, None, Some(rf), &[], false)?;
        self.topic_name(topic).ok_or_else(|| {
            SimError::UnknownTopicOrPartition(format!("Topic {topic} could not be created."))
        })
    }

    /// Creates `__consumer_offsets` the first time a group commits.
    pub(crate) fn ensure_offsets_topic(&mut self) -> Option<Name> {
        if let Some(name) = self.topic_name(OFFSETS_TOPIC) {
            return Some(name);
        }
        let rf = self
            .config
            .offsets_topic_replication_factor
            .min(self.live_brokers().len() as u32)
            .max(1);
        let partitions = self
            .config
            .offsets_topic_num_partitions
            .clamp(1, MAX_PARTITIONS);
        let configs = vec![
            ("cleanup.policy".to_string(), "compact".to_string()),
            ("compression.type".to_string(), "producer".to_string()),
            ("segment.bytes".to_string(), "104857600".to_string()),
        ];
        // The offsets topic may use a name no client can create: bypass the name check's
        // collision warning but not its validity (the name is valid).
        self.create_topic_inner(OFFSETS_TOPIC, Some(partitions), Some(rf), &configs, true)
            .ok()?;
        self.topic_name(OFFSETS_TOPIC)
    }

    pub(crate) fn delete_topic_inner(&mut self, name: &str) -> Result<(), SimError> {
        let Some(topic) = self.topics.get(name) else {
            return Err(SimError::UnknownTopicOrPartition(
                "This server does not host this topic-partition.".to_string(),
            ));
        };
        if topic.internal {
            return Err(SimError::InvalidTopic(format!(
                "Topic {name} is a kafka internal topic and is not allowed to be marked for deletion."
            )));
        }
        let name = topic.name.clone();
        self.topics.remove(&name);
        for consumer in self.consumers.values_mut() {
            consumer.assignment.retain(|(t, _)| *t != name);
            consumer.positions.retain(|(t, _), _| *t != name);
        }
        for group in self.groups.values_mut() {
            group.committed.retain(|(t, _), _| *t != name);
            group.delivered_up_to.retain(|(t, _), _| *t != name);
        }
        self.emit(TraceKind::TopicDeleted {
            topic: name.clone(),
        });
        self.on_metadata_changed(&name);
        Ok(())
    }

    pub(crate) fn increase_partitions_inner(
        &mut self,
        name: &str,
        total: u32,
    ) -> Result<(), SimError> {
        let live = self.live_brokers();
        let Some(topic) = self.topics.get(name) else {
            return Err(SimError::UnknownTopicOrPartition(format!(
                "Topic '{name}' does not exist."
            )));
        };
        let current = topic.partition_count();
        validate::validate_partition_increase(name, current, i64::from(total))?;
        if total > MAX_PARTITIONS {
            return Err(SimError::LimitExceeded(format!(
                "The playground allows at most {MAX_PARTITIONS} partitions per topic; asked for {total}."
            )));
        }
        let rf = topic.replication_factor();
        if (rf as usize) > live.len() {
            return Err(SimError::InvalidReplicationFactor(format!(
                "Unable to replicate the partition {rf} time(s): The target replication factor of {rf} cannot be reached because only {} broker(s) are registered.",
                live.len()
            )));
        }
        let start = self.rng.below(live.len() as u64) as u32;
        let shift = self.rng.below(live.len() as u64) as u32;
        let placement = place_replicas(&live, current, total - current, rf, start, shift);
        let new: Vec<Partition> = placement
            .into_iter()
            .enumerate()
            .map(|(i, replicas)| self.new_partition(current + i as u32, replicas))
            .collect();
        let leaders: Vec<(u32, Option<u32>)> = new.iter().map(|p| (p.id, p.leader)).collect();
        let topic_name = self.topic_name(name).unwrap_or_else(|| name.into());
        if let Some(topic) = self.topics.get_mut(name) {
            topic.partitions.extend(new);
        }
        self.emit(TraceKind::PartitionsIncreased {
            topic: topic_name.clone(),
            from: current,
            to: total,
        });
        for (partition, leader) in leaders {
            self.emit(TraceKind::LeaderChanged {
                topic: topic_name.clone(),
                partition,
                leader,
                leader_epoch: 0,
            });
        }
        self.on_metadata_changed(&topic_name);
        Ok(())
    }

    pub(crate) fn alter_topic_config_inner(
        &mut self,
        name: &str,
        key: &str,
        value: Option<&str>,
    ) -> Result<(), SimError> {
        let Some(topic) = self.topics.get_mut(name) else {
            return Err(SimError::UnknownTopicOrPartition(format!(
                "Topic '{name}' does not exist."
            )));
        };
        let mut config = topic.config.clone();
        let mut overrides = topic.overrides.clone();
        match value {
            Some(value) => {
                config.set(key, value)?;
                overrides.insert(key.to_string(), value.to_string());
            }
            None => {
                config.reset(key)?;
                overrides.remove(key);
            }
        }
        topic.config = config;
        topic.overrides = overrides;
        let topic = topic.name.clone();
        self.emit(TraceKind::TopicConfigChanged {
            topic,
            key: key.to_string(),
            value: value.map(str::to_string),
        });
        Ok(())
    }

    /// `DeleteRecords` on one partition: the log start moves up to `offset`, which must not
    /// pass the high watermark (`UnifiedLog.maybeIncrementLogStartOffset`). Returns the new
    /// log start offset (the low watermark).
    pub(crate) fn delete_records_inner(
        &mut self,
        topic: &str,
        partition: u32,
        offset: u64,
    ) -> Result<u64, SimError> {
        let Some(p) = self
            .topics
            .get_mut(topic)
            .and_then(|t| t.partitions.get_mut(partition as usize))
        else {
            return Err(SimError::UnknownTopicOrPartition(
                "This server does not host this topic-partition.".to_string(),
            ));
        };
        let high_watermark = p.high_watermark;
        p.log.delete_records(offset, high_watermark).map_err(|_| {
            SimError::InvalidRequest(
                "The requested offset is not within the range of offsets maintained by the server."
                    .to_string(),
            )
        })
    }

    // -----------------------------------------------------------------------------------------
    // Brokers and the controller

    pub(crate) fn start_broker_inner(&mut self, id: u32) -> Result<(), SimError> {
        if id == 0 || id > MAX_BROKERS {
            return Err(SimError::LimitExceeded(format!(
                "The playground runs brokers with node.id 1 to {MAX_BROKERS}; got {id}."
            )));
        }
        if self.broker_alive(id) {
            return Err(SimError::InvalidRequest(format!(
                "Broker {id} is already running."
            )));
        }
        self.brokers.insert(id, Broker { id, running: true });
        self.emit(TraceKind::BrokerStarted { broker: id });
        // Its replicas come back as followers: they fetch, catch up and rejoin the ISR; an
        // offline partition whose last ISR member this is gets its leader back.
        let mut offline = Vec::new();
        let mut followers = Vec::new();
        for topic in self.topics.values() {
            for p in &topic.partitions {
                if p.replica(id).is_none() {
                    continue;
                }
                if p.leader.is_none() && p.isr.contains(&id) {
                    offline.push((topic.name.clone(), p.id));
                } else if p.leader.is_some() {
                    followers.push((topic.name.clone(), p.id));
                }
            }
        }
        for (topic, partition) in offline {
            self.elect(&topic, partition);
        }
        for (topic, partition) in followers {
            let delay = self.latency();
            self.schedule(
                delay,
                Due::FollowerFetch {
                    topic,
                    partition,
                    follower: id,
                },
            );
        }
        Ok(())
    }

    pub(crate) fn stop_broker_inner(&mut self, id: u32) -> Result<(), SimError> {
        if !self.broker_alive(id) {
            return Err(SimError::BrokerNotAvailable(format!(
                "Broker {id} is not running."
            )));
        }
        if let Some(broker) = self.brokers.get_mut(&id) {
            broker.running = false;
        }
        // Controlled shutdown: the controller takes the broker out of every ISR (keeping at
        // least one member, as KRaft does) and moves its leaderships.
        let mut touched = Vec::new();
        for topic in self.topics.values_mut() {
            for p in &mut topic.partitions {
                if p.replica(id).is_none() {
                    continue;
                }
                let was_leader = p.leader == Some(id);
                let isr_changed = p.isr.len() > 1 && p.isr.contains(&id);
                if isr_changed {
                    p.isr.retain(|b| *b != id);
                }
                if was_leader || isr_changed {
                    touched.push((topic.name.clone(), p.id, was_leader, isr_changed));
                }
            }
        }
        self.emit(TraceKind::BrokerStopped { broker: id });
        for (topic, partition, was_leader, isr_changed) in touched {
            if isr_changed {
                self.emit_isr(&topic, partition);
            }
            if was_leader {
                self.elect(&topic, partition);
            }
        }
        Ok(())
    }

    /// `Admin.electLeaders` as the KRaft controller answers it
    /// (`ReplicationControlManager.electLeaders`/`electLeader`): a preferred election moves
    /// leadership to the first replica of the assignment when it is alive and in the ISR
    /// (`ELECTION_NOT_NEEDED` if it leads already, `PREFERRED_LEADER_NOT_AVAILABLE` if it
    /// cannot); an unclean one gives a leaderless partition the first live replica, in sync or
    /// not (`ELECTION_NOT_NEEDED` if it has a leader, `ELIGIBLE_LEADERS_NOT_AVAILABLE` if no
    /// replica is alive). With no partitions named, every partition is tried and only those
    /// not answered `ELECTION_NOT_NEEDED` are reported.
    pub(crate) fn elect_leaders_inner(
        &mut self,
        election_type: crate::sim::command::ElectionType,
        partitions: Option<&[(String, u32)]>,
    ) -> Vec<(String, u32, Option<&'static str>)> {
        use crate::sim::command::ElectionType;
        let all = partitions.is_none();
        let wanted: Vec<(String, u32)> = match partitions {
            Some(list) => list.to_vec(),
            None => self
                .topics
                .values()
                .flat_map(|t| t.partitions.iter().map(|p| (t.name.to_string(), p.id)))
                .collect(),
        };
        let alive = self.live_brokers();
        let mut results = Vec::new();
        for (topic, partition) in wanted {
            let Some(p) = self
                .topics
                .get_mut(topic.as_str())
                .and_then(|t| t.partitions.get_mut(partition as usize))
            else {
                results.push((topic, partition, Some("UNKNOWN_TOPIC_OR_PARTITION")));
                continue;
            };
            let replicas = p.replica_brokers();
            let chosen = match election_type {
                ElectionType::Preferred => {
                    let preferred = replicas.first().copied();
                    if preferred.is_some() && p.leader == preferred {
                        Err("ELECTION_NOT_NEEDED")
                    } else {
                        preferred
                            .filter(|b| alive.contains(b) && p.isr.contains(b))
                            .ok_or("PREFERRED_LEADER_NOT_AVAILABLE")
                    }
                }
                ElectionType::Unclean => {
                    if p.leader.is_some() {
                        Err("ELECTION_NOT_NEEDED")
                    } else {
                        replicas
                            .iter()
                            .copied()
                            .find(|b| alive.contains(b))
                            .ok_or("ELIGIBLE_LEADERS_NOT_AVAILABLE")
                    }
                }
            };
            match chosen {
                Err("ELECTION_NOT_NEEDED") if all => {}
                Err(error) => results.push((topic, partition, Some(error))),
                Ok(leader) => {
                    let unclean = !p.isr.contains(&leader);
                    if unclean {
                        // Unclean: the new leader's log is the truth, in sync or not.
                        p.isr = vec![leader];
                    }
                    if let Some(name) = self.topic_name(&topic) {
                        self.install_leader(&name, partition, leader);
                        if unclean {
                            self.emit_isr(&name, partition);
                        }
                    }
                    results.push((topic, partition, None));
                }
            }
        }
        results
    }

    /// Makes `leader` the partition's leader in a new leader epoch and reports it.
    fn install_leader(&mut self, topic: &Name, partition: u32, leader: u32) {
        let Some(p) = self
            .topics
            .get_mut(topic)
            .and_then(|t| t.partitions.get_mut(partition as usize))
        else {
            return;
        };
        p.leader = Some(leader);
        p.leader_epoch += 1;
        let leo = p.replica(leader).map_or(0, |r| r.log_end_offset);
        if leo < p.log.log_end_offset() {
            p.log.truncate_to(leo);
        }
        for r in &mut p.replicas {
            r.log_end_offset = r.log_end_offset.min(leo);
        }
        p.high_watermark = p.high_watermark.min(leo);
        let epoch = p.leader_epoch;
        let log_end = p.log.log_end_offset();
        self.emit(TraceKind::LeaderChanged {
            topic: topic.clone(),
            partition,
            leader: Some(leader),
            leader_epoch: epoch,
        });
        self.resend_truncated(topic, partition, log_end);
    }

    /// Elects a leader for a partition from its live ISR (no unclean election) and reports it.
    pub(crate) fn elect(&mut self, topic: &Name, partition: u32) {
        let alive: Vec<u32> = self.live_brokers();
        let Some(p) = self
            .topics
            .get_mut(topic)
            .and_then(|t| t.partitions.get_mut(partition as usize))
        else {
            return;
        };
        let leader = elect_leader(&p.replica_brokers(), &p.isr, |b| alive.contains(&b));
        if leader == p.leader {
            return;
        }
        p.leader = leader;
        p.leader_epoch += 1;
        if let Some(new_leader) = leader {
            // The new leader's log is the truth: anything past its log end is gone, and the
            // high watermark cannot exceed what it holds.
            let leo = p.replica(new_leader).map_or(0, |r| r.log_end_offset);
            if leo < p.log.log_end_offset() {
                p.log.truncate_to(leo);
            }
            for r in &mut p.replicas {
                r.log_end_offset = r.log_end_offset.min(leo);
            }
            p.high_watermark = p.high_watermark.min(leo);
        }
        let epoch = p.leader_epoch;
        let log_end = p.log.log_end_offset();
        self.emit(TraceKind::LeaderChanged {
            topic: topic.clone(),
            partition,
            leader,
            leader_epoch: epoch,
        });
        if leader.is_some() {
            self.resend_truncated(topic, partition, log_end);
        }
    }

    pub(crate) fn emit_isr(&mut self, topic: &Name, partition: u32) {
        let isr = self
            .topics
            .get(topic)
            .and_then(|t| t.partitions.get(partition as usize))
            .map(|p| p.isr.clone())
            .unwrap_or_default();
        self.emit(TraceKind::IsrChanged {
            topic: topic.clone(),
            partition,
            isr,
        });
    }

    /// Drops followers that have not caught up for `replica.lag.time.max.ms` from the ISR.
    pub(crate) fn on_isr_check(&mut self) {
        let lag_max = self.config.replica_lag_time_max_ms;
        let now = self.now_ms;
        let mut shrunk = Vec::new();
        for topic in self.topics.values_mut() {
            for p in &mut topic.partitions {
                let Some(leader) = p.leader else { continue };
                let leader_leo = p.replica(leader).map_or(0, |r| r.log_end_offset);
                let lagging: Vec<u32> = p
                    .replicas
                    .iter()
                    .filter(|r| r.broker != leader && p.isr.contains(&r.broker))
                    .filter(|r| {
                        r.log_end_offset < leader_leo
                            && now.saturating_sub(r.last_caught_up_ms) > lag_max
                    })
                    .map(|r| r.broker)
                    .collect();
                if !lagging.is_empty() {
                    p.isr.retain(|b| !lagging.contains(b));
                    shrunk.push((topic.name.clone(), p.id));
                }
            }
        }
        for (topic, partition) in shrunk {
            self.emit_isr(&topic, partition);
        }
        self.schedule((lag_max / 2).max(1), Due::IsrCheck);
    }

    // -----------------------------------------------------------------------------------------
    // Retention and the log cleaner

    pub(crate) fn on_retention_check(&mut self) {
        let now = self.now_ms;
        let cap = self.config.max_records_per_partition;
        let mut events = Vec::new();
        for topic in self.topics.values_mut() {
            let settings = capped(topic, cap);
            for p in &mut topic.partitions {
                for deletion in p.log.enforce_retention(now, &settings) {
                    let reason = match deletion.reason {
                        DeletionReason::LogStartOffsetBreach => "log start offset",
                        DeletionReason::RetentionSize => "retention.bytes",
                        DeletionReason::RetentionTime => "retention.ms",
                    };
                    events.push(TraceKind::RetentionDeleted {
                        topic: topic.name.clone(),
                        partition: p.id,
                        records: deletion.segment.record_count,
                        log_start_offset: p.log.log_start_offset(),
                        reason: reason.to_string(),
                    });
                }
                for r in &mut p.replicas {
                    r.log_end_offset = r.log_end_offset.max(p.log.log_start_offset());
                }
                p.high_watermark = p.high_watermark.max(p.log.log_start_offset());
            }
        }
        for kind in events {
            self.emit(kind);
        }
        let interval = self.config.retention_check_interval_ms.max(1);
        self.schedule(interval, Due::RetentionCheck);
    }

    pub(crate) fn on_cleaner_run(&mut self) {
        let now = self.now_ms;
        let cap = self.config.max_records_per_partition;
        let mut events = Vec::new();
        for topic in self.topics.values_mut() {
            let settings = capped(topic, cap);
            if !settings.compact {
                continue;
            }
            for p in &mut topic.partitions {
                if let Some(outcome) = p.log.clean(now, &settings) {
                    events.push(TraceKind::LogCleaned {
                        topic: topic.name.clone(),
                        partition: p.id,
                        records_removed: outcome.removed.len() as u64,
                        tombstones_removed: outcome
                            .removed
                            .iter()
                            .filter(|r| matches!(r.reason, RemovalReason::TombstoneExpired { .. }))
                            .count() as u64,
                    });
                }
            }
        }
        for kind in events {
            self.emit(kind);
        }
        let backoff = self.config.cleaner_backoff_ms.max(1);
        self.schedule(backoff, Due::CleanerRun);
    }

    /// A topic appeared, grew or disappeared: groups subscribed to it rebalance.
    ///
    /// Simplification: Kafka's group leader notices at its next metadata refresh
    /// (`metadata.max.age.ms`, 5 minutes by default, or sooner on an error); here the
    /// rebalance starts at once.
    pub(crate) fn on_metadata_changed(&mut self, topic: &Name) {
        let groups: Vec<Name> = self
            .groups
            .values()
            .filter(|g| {
                g.members
                    .values()
                    .any(|m| m.subscription.iter().any(|t| **t == **topic))
            })
            .map(|g| g.id.clone())
            .collect();
        for group in groups {
            self.start_rebalance(&group, RebalanceReason::MetadataChanged);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_known_values() {
        assert_eq!(base64_url_no_pad(&[0xfb, 0xff]), "-_8");
        assert_eq!(base64_url_no_pad(b"Man"), "TWFu");
        assert_eq!(base64_url_no_pad(&[0u8; 16]), "AAAAAAAAAAAAAAAAAAAAAA");
    }

    #[test]
    fn uuids_are_22_url_safe_chars_and_never_start_with_a_dash() {
        let mut rng = Rng::new(3);
        for _ in 0..2_000 {
            let id = random_uuid_base64(&mut rng);
            assert_eq!(id.len(), 22);
            assert!(!id.starts_with('-'));
            assert!(
                id.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            );
        }
    }
}
