"""docker-compose.yml checked against the code, since no Docker engine runs here: every setting
the code reads reaches its containers, addresses agree with the services, images are official
and pinned, no secret is written inline, and only the UIs (and the webhook service, for its
proxy) are published."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from chairside.core.settings import KAFKA_SECURITY_OPTIONS

ROOT = Path(__file__).parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES: dict[str, dict] = COMPOSE["services"]
CODE_DIRS = ("chairside", "ingestion", "orchestration")
# Read only by the Kafka crash tests, to pause ingestion at a fault point; never deployed.
TEST_ONLY = {"CHAIRSIDE_KAFKA_FAULT_PAUSE", "CHAIRSIDE_KAFKA_FAULT_RESUME"}
# Official images: Docker Official Images (no namespace) and the Apache Kafka project's own.
OFFICIAL = re.compile(r"^(?:[a-z0-9-]+|apache/kafka):(?P<tag>[\w.-]+)$")
# The UIs, and the webhook service for the reverse proxy that terminates TLS in front of it.
UIS = {"dagster-webserver", "mlflow", "apps", "webhooks"}
INTERPOLATION = re.compile(r"(?<!\$)\$\{(?P<name>[A-Z0-9_]+)(?P<rest>[^}]*)\}")
SECRET = re.compile(r"PASSWORD|SECRET|TOKEN|_KEY$")


def names_the_code_reads() -> set[str]:
    """Every CHAIRSIDE_*/MLFLOW_*/DAGSTER_* name spelled out in the code, plus the Kafka
    security options settings.py builds from a prefix."""
    spelled = re.compile(r"[\"'](?P<name>(?:CHAIRSIDE|MLFLOW|DAGSTER)_[A-Z0-9_]*[A-Z0-9])[\"']")
    found = {f"CHAIRSIDE_KAFKA_{option.upper()}" for option in KAFKA_SECURITY_OPTIONS}
    for directory in CODE_DIRS:
        for path in (ROOT / directory).rglob("*.py"):
            found.update(match["name"] for match in spelled.finditer(path.read_text()))
    return found - TEST_ONLY


def code_services() -> dict[str, dict]:
    return {
        name: service
        for name, service in SERVICES.items()
        if service.get("image", "").startswith("chairside:")
    }


def test_the_scan_finds_the_settings_it_must() -> None:
    read = names_the_code_reads()
    assert {"CHAIRSIDE_DUCKDB_PATH", "CHAIRSIDE_SIMULATOR_RATE", "MLFLOW_TRACKING_URI"} <= read
    assert "DAGSTER_HOME" in read and "CHAIRSIDE_KAFKA_SSL_PASSWORD" in read


def test_every_setting_the_code_reads_reaches_every_code_service() -> None:
    for name, service in code_services().items():
        if name == "mlflow":  # the tracking server runs MLflow's code, not Chairside's
            continue
        missing = names_the_code_reads() - set(service["environment"])
        assert not missing, f"{name} lacks {sorted(missing)}"


def test_addresses_agree_with_services_and_ports() -> None:
    env = SERVICES["dagster-code"]["environment"]
    kafka_host, kafka_port = env["CHAIRSIDE_KAFKA_BOOTSTRAP"].split(":")
    assert kafka_host in SERVICES
    assert (
        f"PLAINTEXT://{kafka_host}:{kafka_port}"
        in (SERVICES["kafka"]["environment"]["KAFKA_ADVERTISED_LISTENERS"])
    )
    assert env["CHAIRSIDE_CASSANDRA_HOSTS"] in SERVICES
    assert str(env["CHAIRSIDE_CASSANDRA_PORT"]) in SERVICES["cassandra-init"]["entrypoint"]
    assert env["DAGSTER_POSTGRES_HOST"] in SERVICES
    tracking = re.fullmatch(r"http://(?P<host>[\w-]+):(?P<port>\d+)", env["MLFLOW_TRACKING_URI"])
    assert tracking and tracking["host"] in SERVICES
    mlflow_command = SERVICES["mlflow"]["command"]
    assert mlflow_command[mlflow_command.index("--port") + 1] == tracking["port"]
    workspace = yaml.safe_load((ROOT / "deploy" / "workspace.yaml").read_text())
    grpc = workspace["load_from"][0]["grpc_server"]
    assert grpc["host"] in SERVICES
    assert str(grpc["port"]) in SERVICES[grpc["host"]]["command"]


def test_the_dagster_instance_uses_postgres_from_the_environment_and_one_run_at_a_time() -> None:
    instance = yaml.safe_load((ROOT / "deploy" / "dagster.yaml").read_text())
    database = instance["storage"]["postgres"]["postgres_db"]
    assert all(set(value) == {"env"} for value in database.values())
    assert {value["env"] for value in database.values()} <= set(
        SERVICES["dagster-code"]["environment"]
    )
    assert instance["concurrency"]["runs"]["max_concurrent_runs"] == 1


def test_images_are_official_and_pinned_by_tag() -> None:
    for name, service in SERVICES.items():
        image = service["image"]
        if image.startswith("chairside:"):
            assert service["build"]["dockerfile"] == "deploy/Dockerfile", name
            continue
        match = OFFICIAL.fullmatch(image)
        assert match and match["tag"] != "latest", f"{name}: {image}"
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11\.\d+-slim-\w+$", dockerfile, re.MULTILINE)
    assert "uv==" in dockerfile and "uv sync --locked --no-dev" in dockerfile


def test_no_secret_is_written_inline() -> None:
    """A secret's value is a variable from .env, with no default but the empty one."""
    for name, service in SERVICES.items():
        for key, value in (service.get("environment") or {}).items():
            if SECRET.search(key):
                interpolated = INTERPOLATION.fullmatch(str(value))
                assert interpolated and SECRET.search(interpolated["name"]), f"{name}: {key}"
                assert not interpolated["rest"].startswith("-"), f"{name}: {key}"
                assert interpolated["rest"] in ("", ":-") or interpolated["rest"].startswith(":?")


def test_every_interpolated_variable_is_documented_in_env_example() -> None:
    documented = set(
        re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M)
    )
    used = {m["name"] for m in INTERPOLATION.finditer((ROOT / "docker-compose.yml").read_text())}
    assert used - documented == set()


def test_only_the_uis_are_published_and_only_on_loopback() -> None:
    published = {name for name, service in SERVICES.items() if service.get("ports")}
    assert published == UIS
    for name in published:
        assert all(str(port).startswith("127.0.0.1:") for port in SERVICES[name]["ports"])


def test_waits_are_on_health_and_every_store_has_a_volume() -> None:
    for name, service in SERVICES.items():
        for dependency, wait in (service.get("depends_on") or {}).items():
            condition = wait["condition"]
            if condition == "service_healthy":
                assert "healthcheck" in SERVICES[dependency], f"{name} -> {dependency}"
            else:
                assert condition == "service_completed_successfully", f"{name} -> {dependency}"
                assert SERVICES[dependency]["restart"] == "no"
    for store, path in {
        "kafka": "/var/lib/kafka/data",
        "cassandra": "/var/lib/cassandra",
        "postgres": "/var/lib/postgresql/data",
        "dagster-code": "/data",
        "mlflow": "/mlflow",
    }.items():
        mounts = {volume.split(":")[1] for volume in SERVICES[store]["volumes"]}
        assert path in mounts, store
        assert SERVICES[store]["volumes"][0].split(":")[0] in COMPOSE["volumes"]
    assert SERVICES["apps"]["volumes"] == ["warehouse:/data:ro"]


def _compose_plugin() -> str | None:
    """Why `docker compose config` cannot run here, or None when it can."""
    if shutil.which("docker") is None:
        return "no docker client on PATH"
    probe = subprocess.run(["docker", "compose", "version"], capture_output=True, text=True)
    if probe.returncode != 0:
        return f"the docker compose plugin is not installed: {probe.stderr.strip()[:200]}"
    return None


def test_docker_compose_config_accepts_the_file(tmp_path: Path) -> None:
    reason = _compose_plugin()
    if reason:
        pytest.skip(reason)
    env_file = tmp_path / ".env"
    env_file.write_text("DAGSTER_POSTGRES_PASSWORD=compose-config-check\n")
    done = subprocess.run(
        [
            "docker",
            "compose",
            "--env-file",
            str(env_file),
            "-f",
            "docker-compose.yml",
            "config",
            "--quiet",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
