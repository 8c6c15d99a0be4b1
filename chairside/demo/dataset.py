"""The generated demo: the ground truth and every source's records, all in memory."""

from __future__ import annotations

from dataclasses import dataclass

from chairside.demo.config import DemoConfig
from chairside.demo.model import (
    Appointment,
    Call,
    CustomerProfile,
    Inquiry,
    Person,
    PlayedCampaign,
    Service,
    Shop,
    StaffMember,
)
from chairside.demo.records import (
    CassandraCustomerRow,
    CassandraInquiryRow,
    InboxCustomerRow,
    InboxInquiryRow,
    KafkaRecord,
)


@dataclass(frozen=True, slots=True)
class DemoDataset:
    """Truth (shops to inquiries) and sources (kafka to inbox_inquiries), deterministically
    ordered: shops in config order, each source in the order it is written."""

    config: DemoConfig
    shops: tuple[Shop, ...]
    services: tuple[Service, ...]  # every price list version
    staff: tuple[StaffMember, ...]
    people: tuple[Person, ...]  # clients, prospects and lapsed clients: the true humans
    profiles: tuple[CustomerProfile, ...]  # booking-system profile versions
    appointments: tuple[Appointment, ...]
    calls: tuple[Call, ...]
    inquiries: tuple[Inquiry, ...]
    kafka: dict[str, tuple[KafkaRecord, ...]]  # topic -> messages in produce order
    cassandra_customers: tuple[CassandraCustomerRow, ...]
    cassandra_inquiries: tuple[CassandraInquiryRow, ...]
    inbox_customers: tuple[InboxCustomerRow, ...]
    inbox_inquiries: tuple[InboxInquiryRow, ...]
    campaigns: tuple[PlayedCampaign, ...] = ()  # past campaigns, for the warehouse's register
