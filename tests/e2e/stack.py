"""The end-to-end stack: RabbitMQ, MariaDB, the VMS simulator over HTTPS, and manila's API, scheduler and
share services with one backend, all on 127.0.0.1, all under one temporary folder.

Facts this relies on (shared/reference/MANILA_E2E.md): Debian's broker and database started by hand on
loopback, the broker as the ``rabbitmq`` user and the database as ``mysql``, each owning its own folder;
manila-api as the WSGI application under a threaded ``wsgiref`` server (``wsgi_api.py``), because the
``manila-api`` script needs eventlet; ``noauthv2``; SQLite does not work (the services lock each other out).
"""

from __future__ import annotations

import configparser
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .prerequisites import RABBITMQ_SERVER, manila_script, program
from .processes import Service, StackError, Supervisor, free_port, tail, wait_for

REPO_ROOT = Path(__file__).resolve().parents[2]
WSGI_RUNNER = Path(__file__).with_name("wsgi_api.py")
#: manila's ``host`` option: services register as ``e2e`` (scheduler) and ``e2e@<backend>`` (share).
HOST = "e2e"
#: The fresh simulator's administrator (DESIGN §8).
SIM_USER, SIM_PASSWORD = "admin", "123456"
SIM_VIPPOOL = "vippool-1"
ROOT_EXPORT = "manila"
START_TIMEOUT = 120.0


def _service_env(**extra: str) -> dict[str, str]:
    """The test run's environment, with the work tree first on the path (the code under test is what the
    services load, however the project was installed)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p)
    env.update(extra)
    return env


def _owned_dir(path: Path, user: str) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    shutil.chown(path, user, user)
    return path


# ------------------------------------------------------------------------------------------- broker


def start_epmd(sup: Supervisor, base: Path) -> int:
    """Erlang's port mapper, in the foreground and on loopback: left to itself the broker would start a
    daemonized one that outlives the stack."""
    port = free_port()
    sup.start(
        Service(
            "epmd",
            [program("epmd") or "epmd", "-address", "127.0.0.1", "-port", str(port)],
            base / "logs" / "epmd.log",
            user="rabbitmq",
        )
    )
    return port


@dataclass
class Broker:
    port: int
    node: str
    epmd_port: int
    home: Path

    def env(self, **extra: str) -> dict[str, str]:
        """What the broker's scripts (server and ``rabbitmqctl``) need to find this node, and ``extra``."""
        return _service_env(
            HOME=str(self.home),  # the Erlang cookie lives here
            RABBITMQ_CONF_ENV_FILE=str(self.home / "rabbitmq-env.conf"),
            RABBITMQ_NODENAME=self.node,
            ERL_EPMD_ADDRESS="127.0.0.1",
            ERL_EPMD_PORT=str(self.epmd_port),
            **extra,
        )

    def queues(self) -> str:
        """``rabbitmqctl list_queues``: which RPC queues exist, with how many waiting messages and consumers
        (a diagnostic for a service that does not hear the others)."""
        try:
            done = subprocess.run(
                [
                    str(RABBITMQ_SERVER.with_name("rabbitmqctl")),
                    "-n",
                    self.node,
                    "list_queues",
                    "name",
                    "messages",
                    "consumers",
                ],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                env=self.env(),
                cwd=self.home,
                user="rabbitmq",
                group="rabbitmq",
                extra_groups=[],
                timeout=60,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"(rabbitmqctl failed: {exc})"
        return (done.stdout + done.stderr).strip()


def start_rabbitmq(sup: Supervisor, base: Path, epmd_port: int) -> Broker:
    home = _owned_dir(base / "rabbitmq", "rabbitmq")
    port, dist_port = free_port(), free_port()
    broker = Broker(port=port, node=f"e2e{port}@localhost", epmd_port=epmd_port, home=home)
    (home / "rabbitmq.conf").write_text(
        f"listeners.tcp.default = 127.0.0.1:{port}\n"
        "log.console = true\nlog.console.level = warning\nlog.file = false\n"
    )
    (home / "enabled_plugins").write_text("[].\n")
    (home / "rabbitmq-env.conf").write_text("")
    env = broker.env(
        RABBITMQ_CONFIG_FILE=str(home / "rabbitmq.conf"),
        RABBITMQ_ENABLED_PLUGINS_FILE=str(home / "enabled_plugins"),
        RABBITMQ_MNESIA_BASE=str(home / "mnesia"),
        RABBITMQ_LOG_BASE=str(home / "log"),
        RABBITMQ_PLUGINS_EXPAND_DIR=str(home / "plugins-expand"),
        RABBITMQ_PID_FILE=str(home / "rabbit.pid"),
        RABBITMQ_LOGS="-",
        RABBITMQ_NODE_IP_ADDRESS="127.0.0.1",
        RABBITMQ_NODE_PORT=str(port),
        RABBITMQ_DIST_PORT=str(dist_port),
        # One scheduler that sleeps when idle (the machine's two cores are shared); distribution on
        # loopback only.
        RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=(
            "+S 1:1 +sbwt none +sbwtdcpu none +sbwtdio none -kernel inet_dist_use_interface {127,0,0,1}"
        ),
    )
    sup.start(
        Service(
            "rabbitmq",
            [str(RABBITMQ_SERVER)],
            base / "logs" / "rabbitmq.log",
            env=env,
            user="rabbitmq",
            cwd=home,
        )
    )
    return broker


def amqp_ready(port: int) -> bool:
    """The broker answers an AMQP 0-9-1 protocol header with a method frame (Connection.Start)."""
    with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
        sock.sendall(b"AMQP\x00\x00\x09\x01")
        return sock.recv(1) == b"\x01"


# ----------------------------------------------------------------------------------------- database


@dataclass
class Database:
    port: int
    socket: Path
    password: str
    user: str = "manila"
    name: str = "manila"

    @property
    def url(self) -> str:
        return f"mysql+pymysql://{self.user}:{self.password}@127.0.0.1:{self.port}/{self.name}"

    def connect(self) -> Any:
        import pymysql

        return pymysql.connect(
            host="127.0.0.1",
            port=self.port,
            user=self.user,
            password=self.password,
            database=self.name,
            autocommit=True,
        )


def start_mariadb(sup: Supervisor, base: Path) -> Database:
    """A fresh datadir (``mariadb-install-db``), then ``mariadbd`` on loopback; ``--no-defaults`` so that
    the machine's own MariaDB configuration plays no part."""
    home = _owned_dir(base / "mariadb", "mysql")
    datadir, tmp = home / "data", _owned_dir(home / "tmp", "mysql")
    log = base / "logs" / "mariadb.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        done = subprocess.run(
            [
                program("mariadb-install-db") or "mariadb-install-db",
                "--no-defaults",
                "--user=mysql",
                f"--datadir={datadir}",
                "--auth-root-authentication-method=socket",
                "--skip-test-db",
            ],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=180,
            check=False,
        )
    if done.returncode != 0:
        raise StackError(f"mariadb-install-db failed ({done.returncode})\n{tail(log)}")
    db = Database(port=free_port(), socket=home / "mysqld.sock", password=secrets.token_hex(12))
    sup.start(
        Service(
            "mariadb",
            [
                program("mariadbd") or "mariadbd",
                "--no-defaults",
                "--user=mysql",
                f"--datadir={datadir}",
                f"--socket={db.socket}",
                f"--port={db.port}",
                "--bind-address=127.0.0.1",
                "--skip-name-resolve",
                f"--pid-file={home / 'mariadbd.pid'}",
                f"--tmpdir={tmp}",
                "--skip-log-bin",
                "--performance-schema=OFF",
                "--innodb-buffer-pool-size=64M",
                "--innodb-flush-log-at-trx-commit=0",
                "--max-connections=300",
            ],
            log,
        )
    )
    return db


def _root_sql(db: Database, sql: str) -> subprocess.CompletedProcess[str]:
    """Run SQL as MariaDB's root over the socket (root authenticates as the root system user)."""
    return subprocess.run(
        [
            program("mariadb") or "mariadb",
            "--no-defaults",
            "--protocol=socket",
            f"--socket={db.socket}",
            "-uroot",
            "-e",
            sql,
        ],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def create_database(db: Database, service: Service) -> None:
    wait_for(
        lambda: _root_sql(db, "SELECT 1").returncode == 0,
        "MariaDB to accept connections",
        timeout=START_TIMEOUT,
        watch=[service],
    )
    done = _root_sql(
        db,
        (
            f"CREATE DATABASE {db.name} CHARACTER SET utf8mb4;"
            f"CREATE USER '{db.user}'@'127.0.0.1' IDENTIFIED BY '{db.password}';"
            f"GRANT ALL PRIVILEGES ON {db.name}.* TO '{db.user}'@'127.0.0.1';"
        ),
    )
    if done.returncode != 0:
        raise StackError(f"creating the manila database failed: {done.stderr.strip()}")


# ---------------------------------------------------------------------------------------- simulator


@dataclass
class SimEndpoint:
    url: str
    host: str
    port: int
    ca: Path


def start_simulator(sup: Supervisor, base: Path) -> SimEndpoint:
    """``vastplan sim serve`` over HTTPS with a throwaway CA's certificate for 127.0.0.1 and localhost."""
    import trustme

    tls = base / "tls"
    tls.mkdir(parents=True, exist_ok=True)
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    ca.cert_pem.write_to_path(str(tls / "ca.pem"))
    cert.cert_chain_pems[0].write_to_path(str(tls / "server.pem"))
    cert.private_key_pem.write_to_path(str(tls / "server.key"))
    service = sup.start(
        Service(
            "simulator",
            [
                sys.executable,
                "-m",
                "vastplan.cli",
                "sim",
                "serve",
                "--port",
                "0",
                "--cert",
                str(tls / "server.pem"),
                "--key",
                str(tls / "server.key"),
            ],
            base / "logs" / "simulator.log",
            env=_service_env(),
        )
    )

    def listening() -> str | None:
        found = re.search(r"listening on (https://127\.0\.0\.1:(\d+))", tail(service.log))
        return found.group(1) if found else None

    url = wait_for(listening, "the simulator to listen", timeout=60, watch=[service])
    return SimEndpoint(url=url, host="127.0.0.1", port=int(url.rsplit(":", 1)[1]), ca=tls / "ca.pem")


# ------------------------------------------------------------------------------------------- manila


def backend_section(kind: str, sim: SimEndpoint | None) -> tuple[str, dict[str, str]]:
    """The backend section, ``examples/manila.conf``-style for ours."""
    if kind == "dummy":
        return "dummy", {
            "share_driver": "manila.tests.share.drivers.dummy.DummyDriver",
            "share_backend_name": "dummy",
            "driver_handles_share_servers": "False",
            "dummy_driver_default_driver_method_delay": "0",
            "dummy_driver_driver_methods_delays": "",
        }
    assert sim is not None
    return "vast", {
        "share_driver": "manila_vast.driver.VASTShareDriver",
        "share_backend_name": "vast",
        "driver_handles_share_servers": "False",
        "vast_mgmt_host": sim.host,
        "vast_mgmt_port": str(sim.port),
        "vast_mgmt_user": SIM_USER,
        "vast_mgmt_password": SIM_PASSWORD,
        "vast_ssl_cert_verify": "True",
        "vast_ssl_cert_path": str(sim.ca),
        "vast_vippool_name": SIM_VIPPOOL,
        "vast_root_export": ROOT_EXPORT,
        "vast_root_squash": "False",
    }


def api_paste_config() -> Path:
    """The ``api-paste.ini`` that manila's wheel installs under the environment's ``etc/manila``."""
    for prefix in (sys.prefix, sys.base_prefix):
        candidate = Path(prefix, "etc", "manila", "api-paste.ini")
        if candidate.exists():
            return candidate
    raise StackError(f"manila's api-paste.ini is not under {sys.prefix}/etc/manila")


@dataclass
class Stack:
    """A running stack; ``restart`` is the one change tests make to it."""

    base: Path
    supervisor: Supervisor
    kind: str
    broker: Broker
    db: Database
    sim: SimEndpoint | None
    backend: str
    backend_options: dict[str, str]
    conf: Path
    api_url: str = ""
    share_type: str = "e2e"

    @property
    def share_host(self) -> str:
        return f"{HOST}@{self.backend}"

    @property
    def vast(self) -> bool:
        return self.kind == "vast"

    def write_conf(self) -> None:
        parser = configparser.ConfigParser(interpolation=None)
        parser.optionxform = str  # type: ignore[assignment,method-assign]
        parser["DEFAULT"] = {
            "host": HOST,
            "state_path": str(self.base / "manila" / "state"),
            "api_paste_config": str(api_paste_config()),
            "auth_strategy": "noauthv2",
            "transport_url": f"rabbit://guest:guest@127.0.0.1:{self.broker.port}/",
            "enabled_share_backends": self.backend,
            "enabled_share_protocols": "NFS",
            "default_share_type": self.share_type,
            # Periodic tasks start at once (no random delay) and tick every 10 s: each tick re-sends the
            # share service's capabilities, so a scheduler that missed the first ones (started later, or
            # restarted) learns the pool within seconds instead of a minute. Heartbeats every 5 s.
            "periodic_fuzzy_delay": "0",
            "periodic_interval": "10",
            "report_interval": "5",
            "debug": str(os.environ.get("VASTPLAN_E2E_DEBUG", "") in ("1", "true", "yes")),
        }
        parser["database"] = {"connection": self.db.url}
        parser["oslo_concurrency"] = {"lock_path": str(self.base / "manila" / "lock")}
        parser[self.backend] = dict(self.backend_options)
        (self.base / "manila" / "state").mkdir(parents=True, exist_ok=True)
        with self.conf.open("w") as out:
            parser.write(out)

    def manila_service(self, name: str) -> Service:
        return Service(
            name,
            [str(manila_script(name)), "--config-file", str(self.conf)],
            self.base / "logs" / f"{name}.log",
            env=_service_env(),
        )

    def db_sync(self) -> None:
        log = self.base / "logs" / "manila-manage.log"
        with log.open("ab") as out:
            done = subprocess.run(
                [str(manila_script("manila-manage")), "--config-file", str(self.conf), "db", "sync"],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=_service_env(),
                timeout=300,
                check=False,
            )
        if done.returncode != 0:
            raise StackError(f"manila-manage db sync failed ({done.returncode})\n{tail(log)}")

    def start_manila(self) -> None:
        sup = self.supervisor
        sup.start(self.manila_service("manila-scheduler"))
        sup.start(self.manila_service("manila-share"))
        port_file = self.base / "manila" / "api.port"
        api = sup.start(
            Service(
                "manila-api",
                [
                    sys.executable,
                    str(WSGI_RUNNER),
                    str(port_file),
                    "--config-file",
                    str(self.conf),
                ],
                self.base / "logs" / "manila-api.log",
                env=_service_env(),
            )
        )
        port = wait_for(
            lambda: port_file.read_text().strip(), "manila-api to listen", timeout=START_TIMEOUT, watch=[api]
        )
        self.api_url = f"http://127.0.0.1:{port}"

    def restart(self, name: str, **backend_options: str) -> Service:
        """Stop a manila service, change the backend section if asked, start it again (same log)."""
        service = self.supervisor.get(name)
        service.stop()
        if backend_options:
            self.backend_options.update(backend_options)
            self.write_conf()
        return service.start()


def _memory_folder() -> str | None:
    """Shared memory where there is some: the schema migrations and the broker sync every write, and on a
    busy disk ``db sync`` alone took 22 s instead of a few. None: the usual temporary folder."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK | os.X_OK) else None


def start_stack(kind: str) -> Stack:
    """Everything up to running manila services (readiness through the API is the caller's part, with a
    client). On failure, what was started is stopped before the error goes up."""
    base = Path(tempfile.mkdtemp(prefix="vastplan-e2e-", dir=_memory_folder()))
    base.chmod(0o755)  # the broker's and the database's users must reach their folders
    (base / "logs").mkdir()
    sup = Supervisor()
    try:
        epmd_port = start_epmd(sup, base)
        broker = start_rabbitmq(sup, base, epmd_port)
        sim = start_simulator(sup, base) if kind == "vast" else None
        db = start_mariadb(sup, base)
        create_database(db, sup.get("mariadb"))
        backend, options = backend_section(kind, sim)
        stack = Stack(
            base=base,
            supervisor=sup,
            kind=kind,
            broker=broker,
            db=db,
            sim=sim,
            backend=backend,
            backend_options=options,
            conf=base / "manila" / "manila.conf",
        )
        stack.write_conf()
        stack.db_sync()
        wait_for(
            lambda: amqp_ready(broker.port),
            "RabbitMQ to accept AMQP connections",
            timeout=START_TIMEOUT,
            watch=[sup.get("rabbitmq"), sup.get("epmd")],
        )
        stack.start_manila()
        return stack
    except BaseException:
        sup.stop_all()
        raise


def remove_stack_files(stack: Stack) -> None:
    """The temporary folder goes unless ``VASTPLAN_E2E_KEEP=1`` asks to keep the logs."""
    if os.environ.get("VASTPLAN_E2E_KEEP", "") in ("1", "true", "yes"):
        print(f"\ne2e: logs and state kept in {stack.base}")
        return
    shutil.rmtree(stack.base, ignore_errors=True)
