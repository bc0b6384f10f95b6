"""The deployment files: the nginx config as nginx reads it, the compose file, .env.example."""

from __future__ import annotations

import re
import shutil
import subprocess

import httpx
import pytest
import yaml
from watchdeck.embedded import free_port
from watchdeck.platform.config import Settings, env_name

from tests.deploy.nginx import ROOT, SERVER_BLOCK, check_config, nginx_binary, write_config

COMPOSE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
DOCKER = ROOT / "docker"


def _documented() -> dict[str, str]:
    """Variables of .env.example, set or shown commented out, with their example value."""
    found = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        match = re.fullmatch(r"#?\s*([A-Z][A-Z0-9_]*)=(.*)", line.strip())
        if match:
            found[match.group(1)] = match.group(2)
    return found


def _compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def test_nginx_accepts_the_config_rendered_for_the_scale_out_test(tmp_path):
    binary = nginx_binary()
    main = write_config(tmp_path, "127.0.0.1:8080", ["127.0.0.1:8001", "localhost:8002"], tmp_path)

    checked = check_config(binary, main)

    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr


def test_the_web_image_fills_in_every_placeholder_of_the_nginx_config():
    placeholders = set(re.findall(r"@[A-Z_]+@", SERVER_BLOCK.read_text()))
    dockerfile = (DOCKER / "web.Dockerfile").read_text()

    assert placeholders == {"@LISTEN@", "@API@", "@WEB_ROOT@"}
    for placeholder in placeholders:
        assert f"s|{placeholder}|" in dockerfile, f"web.Dockerfile leaves {placeholder} unfilled"


async def test_nginx_serves_the_dashboard_with_cache_and_security_headers(start_nginx):
    # No api behind it: this is about what nginx answers by itself.
    nginx = start_nginx([f"127.0.0.1:{free_port()}"])

    async with httpx.AsyncClient(base_url=nginx.base, timeout=10) as http:
        index = await http.get("/")
        deep_link = await http.get("/services/6f1c2f0e/checks")
        asset = await http.get("/assets/index-Ab12Cd34.js", headers={"accept-encoding": "gzip"})
        missing_asset = await http.get("/assets/index-Gone0000.js")
        missing_files = [await http.get(path) for path in ("/favicon.ico", "/wp-login.php")]
        too_big = await http.post("/api/v1/ingest/metrics", content=b"x" * (1024 * 1024 + 1))

    assert index.status_code == 200 and "<div id=root>" in index.text
    assert index.headers["cache-control"] == "no-cache"
    assert deep_link.status_code == 200 and deep_link.text == index.text
    assert deep_link.headers["cache-control"] == "no-cache"
    assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert asset.headers["content-encoding"] == "gzip"  # httpx has already unpacked it
    assert asset.text.startswith("console.log")
    for missing in (missing_asset, *missing_files):
        assert missing.status_code == 404, missing.request.url
        assert missing.json()["error"]["code"] == "not_found"
    assert too_big.status_code == 413
    for response in (index, asset, missing_asset):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy
        assert f"connect-src 'self' ws://{nginx.base[7:]} wss://{nginx.base[7:]}" in policy


def test_compose_config_is_valid(tmp_path):
    docker = shutil.which("docker")
    if not docker or subprocess.run([docker, "compose", "version"], capture_output=True).returncode:
        pytest.skip("`docker compose` is not available; the structure tests below still run")
    # A .env made from the example, in a folder of its own so a real .env is never touched.
    shutil.copy(ENV_EXAMPLE, tmp_path / ".env")

    checked = subprocess.run(
        [docker, "compose", "-f", str(COMPOSE), "--project-directory", str(tmp_path)]
        + ["config", "-q"],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert checked.returncode == 0, checked.stderr


def test_compose_runs_every_part_with_data_on_named_volumes():
    compose = _compose()
    services = compose["services"]

    assert set(services) >= {"postgres", "redis", "migrate", "api", "worker", "nginx"}
    assert services["postgres"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    assert "postgres-data:/var/lib/postgresql/data" in services["postgres"]["volumes"]
    assert "redis-data:/data" in services["redis"]["volumes"]
    assert set(compose["volumes"]) >= {"postgres-data", "redis-data"}
    for name in ("postgres", "redis"):
        assert services[name]["healthcheck"]["test"], f"{name} has no health check"


def test_api_and_worker_can_be_scaled():
    services = _compose()["services"]

    for name in ("api", "worker"):
        assert "container_name" not in services[name], f"{name} cannot be scaled"
        assert "ports" not in services[name], f"{name} would claim the same host port twice"
    assert services["nginx"]["ports"] == ["${WATCHDECK_PORT:-8080}:8080"]


def test_migrations_run_first_and_nginx_waits_for_a_healthy_api():
    services = _compose()["services"]

    assert services["migrate"]["command"] == ["migrate"]
    assert services["migrate"]["restart"] == "no"
    for name in ("api", "worker"):
        depends = services[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully"
        assert depends["postgres"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"
    assert services["nginx"]["depends_on"]["api"]["condition"] == "service_healthy"
    # The image's health check calls /healthz, which only the api answers.
    assert services["worker"]["healthcheck"] == {"disable": True}
    assert services["migrate"]["healthcheck"] == {"disable": True}


def test_settings_reach_the_containers_from_env_at_run_time():
    services = _compose()["services"]

    for name in ("migrate", "api", "worker"):
        assert services[name]["env_file"] == ".env"
        assert services[name]["build"]["dockerfile"] == "docker/backend.Dockerfile"
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".env", ".git", ".venv", "**/node_modules", ".watchdeck", "test-artifacts"} <= set(
        ignored
    )


def test_every_compose_variable_has_a_default_or_is_in_env_example():
    documented = _documented()
    used = re.findall(r"\$\{([A-Z0-9_]+)(:?[-?][^}]*)?\}", COMPOSE.read_text())

    assert used
    for name, default in used:
        assert default.startswith((":-", "-")) or name in documented, (
            f"${{{name}}} in docker-compose.yml has no default and is not in .env.example"
        )


def test_every_setting_is_documented_in_env_example():
    documented = _documented()
    missing = [
        env_name(field) for field in Settings.__struct_fields__ if env_name(field) not in documented
    ]

    assert not missing, f".env.example does not document {missing}"


def test_env_example_points_at_the_compose_services_and_holds_no_real_secret():
    documented = _documented()

    assert documented["DATABASE_URL"].endswith("@postgres:5432/watchdeck")
    assert documented["REDIS_URL"].startswith("redis://redis:6379/")
    assert documented["WATCHDECK_SECRET_KEY"] == "change-me"  # too short: the api refuses it
    assert documented["POSTGRES_PASSWORD"] == "change-me"


def test_the_backend_image_runs_watchdeck_as_an_unprivileged_user():
    dockerfile = (DOCKER / "backend.Dockerfile").read_text()
    final = dockerfile.rsplit("\nFROM ", 1)[1]

    assert final.startswith("python:3.11-slim")
    assert "pip install" in dockerfile.split("\nFROM ", 2)[1]  # the build stage
    assert "pip install" not in final and "apt-get" not in final
    assert "COPY --from=build /opt/watchdeck /opt/watchdeck" in final
    assert re.search(r"^USER watchdeck$", final, re.M)
    assert 'ENTRYPOINT ["watchdeck"]' in final and 'CMD ["api"]' in final
    assert "HEALTHCHECK" in final and "/healthz" in final
    instructions = [line for line in dockerfile.splitlines() if not line.startswith("#")]
    for word in (r"SECRET", r"PASSWORD", r"\.env\b"):
        assert not [line for line in instructions if re.search(word, line)], f"{word} in the image"


def test_the_web_and_agent_images_build_from_their_sources():
    web = (DOCKER / "web.Dockerfile").read_text()
    agent = (DOCKER / "agent.Dockerfile").read_text()

    assert "FROM node:20" in web and "npm ci" in web and "npm run build" in web
    assert "FROM nginx:1.27-alpine" in web and "COPY --from=build /web/dist" in web
    assert "nginx/watchdeck.conf" in web
    assert 'ENTRYPOINT ["watchdeck-agent"]' in agent and re.search(r"^USER agent$", agent, re.M)
