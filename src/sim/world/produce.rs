//! Producing: the producer client (partitioning, batching by `linger.ms` and `batch.size`,
//! retries), the leader's append, follower replication, the high watermark and acks.
//!
//! Simplification: a follower's fetch both copies the leader's log and tells the leader how far
//! it got, so the high watermark moves one round trip earlier than in Kafka, where the leader
//! learns the follower's position from the follower's *next* fetch.

use crate::sim::client::{Acks, OpenBatch, PendingRecord, Producer, ProducerConfig};
use crate::sim::command::NewRecord;
use crate::sim::error::SimError;
use crate::sim::log::{Bytes, Header, Record};
use crate::sim::partitioner::TopicPartitioner;
use crate::sim::trace::{Endpoint, Name, TraceKind};
use crate::sim::world::{Due, World, capped};

/// A produce request waiting for the ISR (acks=all) before it is answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PendingAck {
    pub producer: u32,
    pub base_offset: u64,
    pub end_offset: u64,
    pub records: u32,
    /// The batch itself, resent if a leader change truncates it before the ISR has it.
    pub batch: Vec<PendingRecord>,
    pub first_sent_ms: u64,
    pub seq: u64,
}

/// What the leader makes of a produce request.
enum Check {
    Accept,
    /// Already written (a retry of an appended batch), or for a partition that is gone.
    Duplicate,
    /// Refused with this error; whether the producer may retry.
    Refuse(SimError, bool),
}

/// Where a record is that a producer has sent and no partition log holds yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InFlightStage {
    /// In the producer's open batch, which goes out when `linger.ms` has passed (or it fills).
    Batching {
        /// When the batch's linger timer fires (the batch may leave earlier, when full).
        send_at_ms: u64,
    },
    /// In a produce request on its way to the partition's leader.
    OnTheWire {
        /// When the request reaches the broker.
        arrives_at_ms: u64,
    },
    /// Refused with a retriable error; the producer sends it again after `retry.backoff.ms`.
    Retrying {
        /// When the producer resends it.
        resend_at_ms: u64,
    },
}

/// A record a producer has sent that no partition log holds yet (what a view shows between
/// the sender and the topic).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InFlightRecord {
    pub producer: u32,
    pub topic: Name,
    pub partition: u32,
    pub key: Option<Bytes>,
    pub value: Option<Bytes>,
    pub stage: InFlightStage,
}

/// Most producers a world holds.
pub const MAX_PRODUCERS: u32 = 32;

fn bytes_of(text: &Option<String>) -> Option<Bytes> {
    text.as_ref().map(|t| Bytes::from(t.as_bytes()))
}

impl World {
    /// A producer's state.
    pub fn producer(&self, id: u32) -> Option<&Producer> {
        self.producers.get(&id)
    }

    /// All producers.
    pub fn producers(&self) -> impl Iterator<Item = &Producer> {
        self.producers.values()
    }

    /// The records `producer` has sent that no partition log holds yet: first those on the wire
    /// or waiting to be resent, in the order they will be handled, then those still in the
    /// producer's open batches (by topic and partition), each batch in send order.
    pub fn records_in_flight(&self, producer: u32) -> Vec<InFlightRecord> {
        let mut queued: Vec<(u64, u64, InFlightRecord)> = Vec::new();
        for scheduled in self.queue.iter() {
            let (p, topic, partition, records, stage) = match &scheduled.due {
                Due::ProduceArrives {
                    producer: p,
                    topic,
                    partition,
                    records,
                    ..
                } => (
                    *p,
                    topic,
                    *partition,
                    records,
                    InFlightStage::OnTheWire {
                        arrives_at_ms: scheduled.at_ms,
                    },
                ),
                Due::ProduceRetry {
                    producer: p,
                    topic,
                    partition,
                    records,
                    ..
                } => (
                    *p,
                    topic,
                    *partition,
                    records,
                    InFlightStage::Retrying {
                        resend_at_ms: scheduled.at_ms,
                    },
                ),
                _ => continue,
            };
            if p != producer {
                continue;
            }
            for record in records {
                queued.push((
                    scheduled.at_ms,
                    scheduled.seq,
                    InFlightRecord {
                        producer,
                        topic: topic.clone(),
                        partition,
                        key: record.key.clone(),
                        value: record.value.clone(),
                        stage,
                    },
                ));
            }
        }
        // The heap iterates in no useful order; the queue's own order is (time, seq), and a
        // stable sort keeps each batch's records in send order.
        queued.sort_by_key(|(at_ms, seq, _)| (*at_ms, *seq));
        let mut out: Vec<InFlightRecord> = queued.into_iter().map(|(_, _, r)| r).collect();
        if let Some(p) = self.producers.get(&producer) {
            let linger_ms = p.config.linger_ms;
            for ((topic, partition), batch) in p.open.iter() {
                for record in &batch.records {
                    out.push(InFlightRecord {
                        producer,
                        topic: topic.clone(),
                        partition: *partition,
                        key: record.key.clone(),
                        value: record.value.clone(),
                        stage: InFlightStage::Batching {
                            send_at_ms: batch.created_ms.saturating_add(linger_ms),
                        },
                    });
                }
            }
        }
        out
    }

    pub(crate) fn add_producer_inner(
        &mut self,
        mut config: ProducerConfig,
    ) -> Result<u32, SimError> {
        if self.producers.values().filter(|p| !p.closed).count() as u32 >= MAX_PRODUCERS {
            return Err(SimError::LimitExceeded(format!(
                "The playground runs at most {MAX_PRODUCERS} producers at once."
            )));
        }
        let id = self.next_client_id;
        self.next_client_id += 1;
        if config.client_id.is_empty() {
            config.client_id = self.client_names.next_producer();
        }
        self.producers.insert(
            id,
            Producer {
                id,
                config,
                open: Default::default(),
                partitioners: Default::default(),
                next_batch_id: 0,
                next_seq: Default::default(),
                closed: false,
                acked_records: 0,
                failed_records: 0,
            },
        );
        self.emit(TraceKind::ProducerStarted { producer: id });
        Ok(id)
    }

    pub(crate) fn produce_inner(
        &mut self,
        producer_id: u32,
        new: &NewRecord,
    ) -> Result<(Name, u32), SimError> {
        let record = PendingRecord {
            key: bytes_of(&new.key),
            value: bytes_of(&new.value),
            headers: new
                .headers
                .iter()
                .map(|(k, v)| Header {
                    key: k.clone(),
                    value: bytes_of(v),
                })
                .collect(),
            timestamp_ms: new.timestamp_ms.unwrap_or(self.now_ms),
            size_bytes: 0,
        };
        self.produce_record(producer_id, &new.topic, new.partition, record)
    }

    /// What `KafkaProducer.send` does with a serialized record: checks the producer and the
    /// record's size, finds (or auto-creates) the topic, picks the partition (explicit, else
    /// the producer's partitioner) and appends to the batch. Returns the topic and partition.
    pub(crate) fn produce_record(
        &mut self,
        producer_id: u32,
        topic: &str,
        partition: Option<u32>,
        record: PendingRecord,
    ) -> Result<(Name, u32), SimError> {
        let Some(producer) = self.producers.get(&producer_id) else {
            return Err(SimError::InvalidRequest(format!(
                "There is no producer {producer_id}."
            )));
        };
        if producer.closed {
            return Err(SimError::InvalidRequest(
                "Cannot perform operation after producer has been closed".to_string(),
            ));
        }
        let max_request_size = producer.config.max_request_size;
        let batch_size = producer.config.batch_size;
        let linger_ms = producer.config.linger_ms;
        let kind = producer.config.partitioner;
        let size = Record::size_of(record.key.as_ref(), record.value.as_ref(), &record.headers);
        let record = PendingRecord {
            size_bytes: size,
            ..record
        };
        // KafkaProducer checks the serialized size before anything else: the upper bound of
        // a batch holding just this record (`AbstractRecords.estimateSizeInBytesUpperBound`).
        let upper_bound = crate::sim::log::batch_size_upper_bound(
            record.key.as_ref().map(|k| k.len()),
            record.value.as_ref().map(|v| v.len()),
            &record.headers,
        );
        if upper_bound > u64::from(max_request_size) {
            return Err(SimError::RecordTooLarge(format!(
                "The message is {upper_bound} bytes when serialized which is larger than {max_request_size}, which is the value of the max.request.size configuration."
            )));
        }
        let topic = self.auto_create(topic)?;
        let count = self.topics.get(&topic).map_or(0, |t| t.partition_count());
        let partition = match partition {
            Some(p) if p >= count => {
                return Err(SimError::InvalidRequest(format!(
                    "Invalid partition given with record: {p} is not in the range [0...{count}]."
                )));
            }
            Some(p) => p,
            None => {
                let producer = self
                    .producers
                    .get_mut(&producer_id)
                    .ok_or_else(|| SimError::InvalidRequest("producer vanished".into()))?;
                let state = producer
                    .partitioners
                    .entry(topic.clone())
                    .or_insert_with(|| TopicPartitioner::new(kind, batch_size, true));
                // The partitions with a leader: the built-in partitioner hashes a key without
                // them, so they are only listed when the choice may use them.
                let available: Vec<u32> =
                    if record.key.is_none() || !matches!(state, TopicPartitioner::BuiltIn(_)) {
                        self.topics.get(&topic).map_or_else(Vec::new, |t| {
                            t.partitions
                                .iter()
                                .filter(|p| p.leader.is_some())
                                .map(|p| p.id)
                                .collect()
                        })
                    } else {
                        Vec::new()
                    };
                state.choose(
                    record.key.as_deref(),
                    u64::from(size),
                    &mut self.rng,
                    count,
                    &available,
                )
            }
        };
        self.append_to_batch(
            producer_id,
            topic.clone(),
            partition,
            record,
            batch_size,
            linger_ms,
        );
        Ok((topic, partition))
    }

    fn append_to_batch(
        &mut self,
        producer_id: u32,
        topic: Name,
        partition: u32,
        record: PendingRecord,
        batch_size: u32,
        linger_ms: u64,
    ) {
        let now = self.now_ms;
        let Some(producer) = self.producers.get_mut(&producer_id) else {
            return;
        };
        let key = (topic.clone(), partition);
        // The common case first, with one lookup: the open batch has room for the record.
        if let Some(batch) = producer.open.get_mut(&key)
            && (batch.size_bytes + record.size_bytes <= batch_size || batch.records.is_empty())
        {
            batch.size_bytes += record.size_bytes;
            batch.records.push(record);
            if batch.size_bytes >= batch_size || linger_ms == 0 {
                self.send_batch(producer_id, &topic, partition);
            }
            return;
        }
        // A record that does not fit the open batch closes it (Kafka starts a new batch).
        let full_before = producer.open.get(&key).is_some_and(|b| {
            b.size_bytes + record.size_bytes > batch_size && !b.records.is_empty()
        });
        if full_before {
            self.send_batch(producer_id, &topic, partition);
        }
        let Some(producer) = self.producers.get_mut(&producer_id) else {
            return;
        };
        let mut new_batch = None;
        let batch = producer.open.entry(key.clone()).or_insert_with(|| {
            let batch_id = producer.next_batch_id;
            producer.next_batch_id += 1;
            new_batch = Some(batch_id);
            OpenBatch {
                records: Vec::new(),
                size_bytes: 0,
                created_ms: now,
                batch_id,
            }
        });
        batch.size_bytes += record.size_bytes;
        batch.records.push(record);
        let full = batch.size_bytes >= batch_size;
        if full || linger_ms == 0 {
            self.send_batch(producer_id, &topic, partition);
        } else if let Some(batch_id) = new_batch {
            self.schedule(
                linger_ms,
                Due::Linger {
                    producer: producer_id,
                    topic,
                    partition,
                    batch_id,
                },
            );
        }
    }

    pub(crate) fn flush_inner(&mut self, producer_id: u32) -> Result<(), SimError> {
        let Some(producer) = self.producers.get(&producer_id) else {
            return Err(SimError::InvalidRequest(format!(
                "There is no producer {producer_id}."
            )));
        };
        let keys: Vec<(Name, u32)> = producer.open.keys().cloned().collect();
        for (topic, partition) in keys {
            self.send_batch(producer_id, &topic, partition);
        }
        Ok(())
    }

    pub(crate) fn close_producer_inner(&mut self, producer_id: u32) -> Result<(), SimError> {
        self.flush_inner(producer_id)?;
        if let Some(producer) = self.producers.get_mut(&producer_id) {
            producer.closed = true;
        }
        Ok(())
    }

    pub(crate) fn on_linger(&mut self, producer: u32, topic: &Name, partition: u32, batch_id: u64) {
        let current = self
            .producers
            .get(&producer)
            .and_then(|p| p.open.get(&(topic.clone(), partition)))
            .map(|b| b.batch_id);
        if current == Some(batch_id) {
            self.send_batch(producer, topic, partition);
        }
    }

    /// Sends a producer's open batch for one partition to the partition's leader.
    fn send_batch(&mut self, producer_id: u32, topic: &Name, partition: u32) {
        let Some(batch) = self
            .producers
            .get_mut(&producer_id)
            .and_then(|p| p.open.remove(&(topic.clone(), partition)))
        else {
            return;
        };
        let first_sent = self.now_ms;
        self.send_records(producer_id, topic, partition, batch.records, first_sent);
    }

    fn send_records(
        &mut self,
        producer: u32,
        topic: &Name,
        partition: u32,
        records: Vec<PendingRecord>,
        first_sent_ms: u64,
    ) {
        let seq = self
            .producers
            .get_mut(&producer)
            .map(|p| {
                let next = p.next_seq.entry((topic.clone(), partition)).or_insert(0);
                let seq = *next;
                *next += 1;
                seq
            })
            .unwrap_or(0);
        self.transmit(producer, topic, partition, records, first_sent_ms, seq);
    }

    /// Puts a batch on the wire to the partition's current leader.
    pub(crate) fn transmit(
        &mut self,
        producer: u32,
        topic: &Name,
        partition: u32,
        records: Vec<PendingRecord>,
        first_sent_ms: u64,
        seq: u64,
    ) {
        let leader = self
            .topics
            .get(topic)
            .and_then(|t| t.partitions.get(partition as usize))
            .and_then(|p| p.leader)
            .unwrap_or(0);
        let now = self.now_ms;
        let arrives = self.hop(Endpoint::Producer(producer), Endpoint::Broker(leader));
        self.emit(TraceKind::ProduceSent {
            producer,
            topic: topic.clone(),
            partition,
            keys: records.iter().map(|r| r.key.clone()).collect(),
            broker: leader,
            sent_at_ms: now,
            arrives_at_ms: arrives,
        });
        self.schedule_at(
            arrives,
            Due::ProduceArrives {
                producer,
                topic: topic.clone(),
                partition,
                broker: leader,
                records,
                sent_at_ms: now,
                first_sent_ms,
                seq,
            },
        );
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn on_produce_arrives(
        &mut self,
        producer: u32,
        topic: &Name,
        partition: u32,
        broker: u32,
        records: Vec<PendingRecord>,
        (sent_at_ms, first_sent_ms, seq): (u64, u64, u64),
    ) {
        let acks = self
            .producers
            .get(&producer)
            .map_or(crate::sim::client::Acks::All, |p| p.config.acks);
        let count = records.len() as u32;
        let cap = self.config.max_records_per_partition;
        let Some(settings) = self.topics.get(topic).map(|t| capped(t, cap)) else {
            self.produce_failed(
                producer,
                topic,
                partition,
                records,
                (sent_at_ms, first_sent_ms, seq),
                SimError::UnknownTopicOrPartition(
                    "This server does not host this topic-partition.".to_string(),
                ),
                false,
            );
            return;
        };
        match self.check_produce(producer, topic, partition, broker, &records, acks, seq) {
            Check::Accept => {}
            Check::Duplicate => return,
            Check::Refuse(error, retriable) => {
                self.produce_failed(
                    producer,
                    topic,
                    partition,
                    records,
                    (sent_at_ms, first_sent_ms, seq),
                    error,
                    retriable,
                );
                return;
            }
        }
        // Append on the leader.
        self.expected_seq
            .insert((producer, topic.clone(), partition), seq + 1);
        let now = self.now_ms;
        let (base_offset, end_offset, followers, covered) = {
            let Some(p) = self
                .topics
                .get_mut(topic)
                .and_then(|t| t.partitions.get_mut(partition as usize))
            else {
                return;
            };
            let base = p.log.log_end_offset();
            for r in &records {
                p.log.append(
                    now,
                    r.timestamp_ms,
                    r.key.clone(),
                    r.value.clone(),
                    r.headers.clone(),
                    &settings,
                );
            }
            let end = p.log.log_end_offset();
            if let Some(leader) = p.replica_mut(broker) {
                leader.log_end_offset = end;
                leader.last_caught_up_ms = now;
            }
            let followers: Vec<u32> = p
                .replicas
                .iter()
                .map(|r| r.broker)
                .filter(|b| *b != broker)
                .collect();
            // Whether the ISR has the whole batch already, so `update_high_watermark` below
            // answers it at once.
            let covered = p.isr_min_log_end() >= end && end > p.high_watermark;
            (base, end, followers, covered)
        };
        // Offsets are dense: the batch's records got base_offset, base_offset + 1, ….
        for (offset, r) in (base_offset..).zip(&records) {
            self.emit(TraceKind::RecordAppended {
                producer: Some(producer),
                topic: topic.clone(),
                partition,
                offset,
                key: r.key.clone(),
                value: r.value.clone(),
                timestamp_ms: r.timestamp_ms,
                broker,
                sent_at_ms,
                arrives_at_ms: now,
            });
        }
        // acks=all keeps the batch until the ISR has it: a new leader may truncate it. One the
        // ISR already holds is answered below, before anything could truncate it.
        let kept = if acks == Acks::All && !covered {
            records
        } else {
            Vec::new()
        };
        match acks {
            Acks::Zero => {
                if let Some(p) = self.producers.get_mut(&producer) {
                    p.acked_records += u64::from(count);
                }
            }
            Acks::One => self.ack(producer, topic, partition, base_offset, count),
            Acks::All => self
                .pending_acks
                .entry((topic.clone(), partition))
                .or_default()
                .push(PendingAck {
                    producer,
                    base_offset,
                    end_offset,
                    records: count,
                    batch: kept,
                    first_sent_ms,
                    seq,
                }),
        }
        for follower in followers {
            self.schedule_follower_fetch(topic, partition, follower);
        }
        self.update_high_watermark(topic, partition);
    }

    /// The leader's checks of a produce request, in Kafka's order: leadership,
    /// `min.insync.replicas` for acks=all (`Partition.appendRecordsToLeader`), then what the log
    /// validates: the idempotent producer's sequence, `max.message.bytes`, keys in a compacted
    /// topic.
    #[allow(clippy::too_many_arguments)]
    fn check_produce(
        &self,
        producer: u32,
        topic: &Name,
        partition: u32,
        broker: u32,
        records: &[PendingRecord],
        acks: Acks,
        seq: u64,
    ) -> Check {
        let Some(t) = self.topics.get(topic) else {
            return Check::Refuse(
                SimError::UnknownTopicOrPartition(
                    "This server does not host this topic-partition.".to_string(),
                ),
                false,
            );
        };
        let Some(p) = t.partitions.get(partition as usize) else {
            return Check::Duplicate;
        };
        if !self.broker_alive(broker) || p.leader != Some(broker) {
            return Check::Refuse(
                SimError::NotLeaderOrFollower(
                    "For requests intended only for the leader, this error indicates that the broker is not the current leader. For requests intended for any replica, this error indicates that the broker is not a replica of the topic partition.".to_string(),
                ),
                true,
            );
        }
        // `Partition.appendRecordsToLeader` refuses acks=all while the ISR is short before the
        // log (`UnifiedLog.appendAsLeader`) validates sequence, size or keys.
        if acks == Acks::All && (p.isr.len() as u32) < t.config.min_insync_replicas {
            return Check::Refuse(
                SimError::NotEnoughReplicas(
                    "Messages are rejected since there are fewer in-sync replicas than required."
                        .to_string(),
                ),
                true,
            );
        }
        let expected = self
            .expected_seq
            .get(&(producer, topic.clone(), partition))
            .copied()
            .unwrap_or(0);
        if seq > expected {
            return Check::Refuse(
                SimError::OutOfOrderSequence(
                    "The broker received an out of order sequence number.".to_string(),
                ),
                true,
            );
        }
        if seq < expected {
            // A retry of a batch the log already holds: not written twice.
            return Check::Duplicate;
        }
        // The batch as the producer wrote it: one 61-byte header, then each record with its
        // offset and timestamp deltas.
        let batch_bytes = crate::sim::log::produce_batch_size(records.iter().map(|r| {
            (
                r.timestamp_ms,
                r.key.as_ref().map(|k| k.len()),
                r.value.as_ref().map(|v| v.len()),
                r.headers.as_slice(),
            )
        }));
        if batch_bytes > u64::from(t.config.max_message_bytes) {
            return Check::Refuse(
                SimError::RecordTooLarge(
                    "The request included a message larger than the max message size the server will accept.".to_string(),
                ),
                false,
            );
        }
        if t.config.log_settings().compact && records.iter().any(|r| r.key.is_none()) {
            return Check::Refuse(
                SimError::InvalidRecord(format!(
                    "Compacted topic cannot accept message without key in topic partition {topic}-{partition}."
                )),
                false,
            );
        }
        Check::Accept
    }

    #[allow(clippy::too_many_arguments)]
    fn produce_failed(
        &mut self,
        producer: u32,
        topic: &Name,
        partition: u32,
        records: Vec<PendingRecord>,
        (_sent_at_ms, first_sent_ms, seq): (u64, u64, u64),
        error: SimError,
        retriable: bool,
    ) {
        let now = self.now_ms;
        let latency = self.latency();
        let count = records.len() as u32;
        let (backoff, timeout) = self.producers.get(&producer).map_or((100, 120_000), |p| {
            (p.config.retry_backoff_ms, p.config.delivery_timeout_ms)
        });
        let give_up = !retriable || now + latency + backoff > first_sent_ms + timeout;
        self.emit(TraceKind::ProduceFailed {
            producer,
            topic: topic.clone(),
            partition,
            records: count,
            keys: records.iter().map(|r| r.key.clone()).collect(),
            error: format!("{}: {}", error.exception_class(), error.message()),
            retriable: !give_up,
            sent_at_ms: now,
            arrives_at_ms: now + latency,
        });
        if give_up {
            if let Some(p) = self.producers.get_mut(&producer) {
                p.failed_records += u64::from(count);
            }
            // The producer moves past the lost batch (Kafka bumps the producer epoch), so the
            // batches after it are not refused as out of order forever.
            let expected = self
                .expected_seq
                .entry((producer, topic.clone(), partition))
                .or_insert(0);
            *expected = (*expected).max(seq + 1);
            return;
        }
        // The producer retries once the response has arrived and the backoff has passed, to
        // whoever leads the partition then. Retries keep their sequence number, so the
        // idempotent broker keeps the batches in order.
        self.schedule(
            latency + backoff,
            Due::ProduceRetry {
                producer,
                topic: topic.clone(),
                partition,
                records,
                first_sent_ms,
                seq,
            },
        );
    }

    fn ack(&mut self, producer: u32, topic: &Name, partition: u32, base_offset: u64, records: u32) {
        let now = self.now_ms;
        let latency = self.latency();
        if let Some(p) = self.producers.get_mut(&producer) {
            p.acked_records += u64::from(records);
        }
        self.emit(TraceKind::ProduceAcked {
            producer,
            topic: topic.clone(),
            partition,
            base_offset,
            records,
            sent_at_ms: now,
            arrives_at_ms: now + latency,
        });
    }

    /// Has a live `follower` fetch from the partition's leader after one network hop, unless
    /// a fetch of its is already on the way.
    pub(crate) fn schedule_follower_fetch(&mut self, topic: &Name, partition: u32, follower: u32) {
        if self.broker_alive(follower)
            && self
                .fetching_followers
                .insert((topic.clone(), partition, follower))
        {
            let delay = self.latency();
            self.schedule(
                delay,
                Due::FollowerFetch {
                    topic: topic.clone(),
                    partition,
                    follower,
                },
            );
        }
    }

    pub(crate) fn on_follower_fetch(&mut self, topic: &Name, partition: u32, follower: u32) {
        self.fetching_followers
            .remove(&(topic.clone(), partition, follower));
        if !self.broker_alive(follower) {
            return;
        }
        let now = self.now_ms;
        let latency = self.latency();
        let Some(p) = self
            .topics
            .get_mut(topic)
            .and_then(|t| t.partitions.get_mut(partition as usize))
        else {
            return;
        };
        let Some(leader) = p.leader else { return };
        if leader == follower || !self.brokers.get(&leader).is_some_and(|b| b.running) {
            return;
        }
        let leader_leo = p.replica(leader).map_or(0, |r| r.log_end_offset);
        let high_watermark = p.high_watermark;
        let Some(replica) = p.replica_mut(follower) else {
            return;
        };
        replica.log_end_offset = leader_leo;
        replica.last_caught_up_ms = now;
        let rejoin = !p.isr.contains(&follower) && leader_leo >= high_watermark;
        if rejoin {
            p.isr.push(follower);
            // A replica a reassignment adds joins at the end, as the leader's AlterPartition
            // appends it (`kafka-topics.sh --describe` shows `Isr: 2,3` after `1,2` → `2,3`);
            // others keep the assignment order.
            if !p.adding_replicas.contains(&follower) {
                let order = p.replica_brokers();
                crate::sim::sort::sort_by_key(&mut p.isr, |b| order.iter().position(|x| x == b));
            }
        }
        self.emit(TraceKind::ReplicaFetched {
            topic: topic.clone(),
            partition,
            follower,
            leader,
            log_end_offset: leader_leo,
            sent_at_ms: now,
            arrives_at_ms: now + latency,
        });
        if rejoin {
            self.emit_isr(topic, partition);
            // A replica a reassignment is adding may be the last one it waits for.
            self.try_complete_reassignment(topic, partition);
        }
        self.update_high_watermark(topic, partition);
    }

    /// After a leader change truncated the log to `log_end`: acks=all requests for records
    /// that are gone fail with NOT_LEADER_OR_FOLLOWER, and their producers resend them, in
    /// sequence order, to the new leader (the records were never acknowledged, so nothing
    /// acknowledged is lost).
    pub(crate) fn resend_truncated(&mut self, topic: &Name, partition: u32, log_end: u64) {
        let key = (topic.clone(), partition);
        let Some(waiting) = self.pending_acks.get_mut(&key) else {
            return;
        };
        let (mut lost, kept): (Vec<PendingAck>, Vec<PendingAck>) =
            waiting.drain(..).partition(|a| a.end_offset > log_end);
        *waiting = kept;
        crate::sim::sort::sort_by_key(&mut lost, |a| (a.producer, a.seq));
        for a in lost {
            // The new leader never saw this batch: it expects the batch's sequence next.
            let expected = self
                .expected_seq
                .entry((a.producer, topic.clone(), partition))
                .or_insert(0);
            *expected = (*expected).min(a.seq);
            self.produce_failed(
                a.producer,
                topic,
                partition,
                a.batch,
                (self.now_ms, a.first_sent_ms, a.seq),
                SimError::NotLeaderOrFollower(
                    "For requests intended only for the leader, this error indicates that the broker is not the current leader. For requests intended for any replica, this error indicates that the broker is not a replica of the topic partition.".to_string(),
                ),
                true,
            );
        }
    }

    /// Moves the high watermark to what the whole ISR holds, answers acks=all requests it
    /// covers and wakes consumers waiting for data.
    pub(crate) fn update_high_watermark(&mut self, topic: &Name, partition: u32) {
        let Some(p) = self
            .topics
            .get_mut(topic)
            .and_then(|t| t.partitions.get_mut(partition as usize))
        else {
            return;
        };
        let target = p.isr_min_log_end();
        if target <= p.high_watermark {
            return;
        }
        p.high_watermark = target;
        self.emit(TraceKind::HighWatermarkAdvanced {
            topic: topic.clone(),
            partition,
            high_watermark: target,
        });
        let key = (topic.clone(), partition);
        if let Some(waiting) = self.pending_acks.get_mut(&key) {
            let (done, rest): (Vec<PendingAck>, Vec<PendingAck>) =
                waiting.drain(..).partition(|a| a.end_offset <= target);
            *waiting = rest;
            for a in done {
                self.ack(a.producer, topic, partition, a.base_offset, a.records);
            }
        }
        self.wake_consumers(topic, partition);
    }
}
