"""The cluster deployment (ops/k8s, ops/Dockerfile) can't run here, so these
read it: every manifest against Kubernetes' own schema, then the properties a
reviewer would check by hand, each against values written down in this file.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from kubernetes_validate.utils import validate

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "ops" / "k8s"
DOCKERFILE = ROOT / "ops" / "Dockerfile"
# The Kubernetes release the manifests are checked against: the newest whose
# schemas kubernetes-validate 1.28.3 ships (the last release that installs
# beside Rasa 3.6; see requirements.txt). They use only GA APIs, unchanged since.
KUBERNETES_VERSION = "1.28"

# What the manifests must say, written down here rather than read from them.
RASA_LABELS = {"app.kubernetes.io/name": "amma", "app.kubernetes.io/component": "rasa"}
ACTION_LABELS = {"app.kubernetes.io/name": "amma", "app.kubernetes.io/component": "actions"}
RASA_PORT = 5005
ACTION_PORT = 5055
SECRET_NAME = "amma-secrets"
# Environment variables holding secrets: only ever from a Secret, never a literal.
SECRET_ENV = {"AMMA_API_TOKEN", "AMMA_DATABASE_URL", "AMMA_REDIS_PASSWORD", "AMMA_JWT_SECRET"}


def documents(path: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def applied_files() -> list[Path]:
    """The files kustomization.yaml applies."""
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    return [K8S / name for name in kustomization["resources"]]


def resources(kind: str | None = None) -> list[dict[str, Any]]:
    found = [doc for path in applied_files() for doc in documents(path)]
    return [doc for doc in found if kind is None or doc["kind"] == kind]


def one(kind: str, name: str) -> dict[str, Any]:
    matches = [doc for doc in resources(kind) if doc["metadata"]["name"] == name]
    assert len(matches) == 1, f"expected one {kind} {name}, found {len(matches)}"
    return matches[0]


def containers(deployment: dict[str, Any]) -> list[dict[str, Any]]:
    spec = deployment["spec"]["template"]["spec"]
    return list(spec.get("initContainers", [])) + list(spec["containers"])


def rasa_container() -> dict[str, Any]:
    (container,) = one("Deployment", "amma-rasa")["spec"]["template"]["spec"]["containers"]
    return container


def all_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from all_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from all_strings(item)


# --- Kubernetes' schema --------------------------------------------------------


@pytest.mark.parametrize("path", sorted(K8S.glob("*.yaml")), ids=lambda path: path.name)
def test_every_manifest_is_valid_for_the_stated_kubernetes_version(path):
    docs = [doc for doc in documents(path) if doc["kind"] != "Kustomization"]
    if path.name == "kustomization.yaml":
        assert not docs
        return
    assert docs, f"{path.name} holds no resource"
    for doc in docs:
        # strict: an unknown field (a typo, a field of another version) fails too.
        assert validate(doc, KUBERNETES_VERSION, strict=True) == KUBERNETES_VERSION


def test_the_validator_rejects_a_broken_manifest():
    """The schema check can fail: the same Deployment with a misspelt field and a wrong type."""
    deployment = one("Deployment", "amma-rasa")
    misspelt = {**deployment, "spec": {**deployment["spec"], "replica": 2}}
    wrong_type = {**deployment, "spec": {**deployment["spec"], "replicas": "two"}}
    for broken in (misspelt, wrong_type):
        with pytest.raises(Exception, match="replica"):
            validate(broken, KUBERNETES_VERSION, strict=True)


def test_kustomization_applies_every_manifest_but_the_secret_example():
    on_disk = {path.name for path in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    assert {path.name for path in applied_files()} == on_disk - {"secret.example.yaml"}


def test_both_deployments_run_the_image_kustomization_points_at_the_registry():
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    (image,) = kustomization["images"]
    images = {container["image"] for deployment in resources("Deployment") for container in containers(deployment)}
    assert images == {image["name"]} == {"amma"}


@pytest.mark.skipif(not shutil.which("kubectl"), reason="kubectl is not installed (renders the kustomization)")
def test_kubectl_renders_the_kustomization_into_the_amma_namespace():
    rendered = subprocess.run(
        ["kubectl", "kustomize", str(K8S)], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    docs = [doc for doc in yaml.safe_load_all(rendered) if doc]
    assert len(docs) == len(resources())
    assert {doc.get("metadata", {}).get("namespace", "amma") for doc in docs} == {"amma"}


# --- The action server is private to the Rasa pods ------------------------------


def test_every_service_is_cluster_internal():
    services = {doc["metadata"]["name"]: doc["spec"].get("type", "ClusterIP") for doc in resources("Service")}
    assert services == {"amma-rasa": "ClusterIP", "amma-actions": "ClusterIP"}


def test_the_action_service_is_cluster_ip_on_the_action_port():
    service = one("Service", "amma-actions")
    assert service["spec"]["type"] == "ClusterIP"
    assert service["spec"]["selector"] == ACTION_LABELS
    assert [port["port"] for port in service["spec"]["ports"]] == [ACTION_PORT]


def test_only_rasa_pods_may_reach_the_action_server_and_only_on_its_port():
    policies = [doc for doc in resources("NetworkPolicy") if doc["spec"]["podSelector"].get("matchLabels")]
    for_actions = [doc for doc in policies if doc["spec"]["podSelector"]["matchLabels"] == ACTION_LABELS]
    assert len(for_actions) == 1
    spec = for_actions[0]["spec"]
    assert "Ingress" in spec["policyTypes"]
    assert spec["ingress"] == [
        {
            "from": [{"podSelector": {"matchLabels": RASA_LABELS}}],
            "ports": [{"protocol": "TCP", "port": ACTION_PORT}],
        }
    ]
    # It calls nothing, so it may open no connection either.
    assert "Egress" in spec["policyTypes"] and spec["egress"] == []


def test_the_namespace_denies_all_traffic_no_policy_allows():
    default = one("NetworkPolicy", "default-deny")["spec"]
    assert default["podSelector"] == {}
    assert sorted(default["policyTypes"]) == ["Egress", "Ingress"]
    assert "ingress" not in default and "egress" not in default


def test_rasa_pods_take_traffic_only_from_the_ingress_controller():
    spec = one("NetworkPolicy", "amma-rasa")["spec"]
    assert spec["podSelector"]["matchLabels"] == RASA_LABELS
    (rule,) = spec["ingress"]
    (source,) = rule["from"]
    assert source["namespaceSelector"] == {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}}
    assert rule["ports"] == [{"protocol": "TCP", "port": RASA_PORT}]


def test_rasa_pods_connect_only_to_dns_the_action_server_postgresql_and_redis():
    spec = one("NetworkPolicy", "amma-rasa")["spec"]
    assert "Egress" in spec["policyTypes"]
    allowed = {(port["protocol"], port["port"]) for rule in spec["egress"] for port in rule["ports"]}
    assert allowed == {("UDP", 53), ("TCP", 53), ("TCP", ACTION_PORT), ("TCP", 5432), ("TCP", 6379)}
    to_actions = [rule for rule in spec["egress"] if {"protocol": "TCP", "port": ACTION_PORT} in rule["ports"]]
    assert to_actions == [
        {"to": [{"podSelector": {"matchLabels": ACTION_LABELS}}], "ports": [{"protocol": "TCP", "port": ACTION_PORT}]}
    ]


def test_the_ingress_exposes_only_the_chat_channels_with_sticky_sessions():
    ingress = one("Ingress", "amma")
    annotations = ingress["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert annotations["nginx.ingress.kubernetes.io/session-cookie-name"]
    assert ingress["spec"]["ingressClassName"] == "nginx"
    assert ingress["spec"]["tls"], "chat messages carry health data: TLS only"
    paths = [path for rule in ingress["spec"]["rules"] for path in rule["http"]["paths"]]
    assert sorted(path["path"] for path in paths) == ["/socket.io/", "/webhooks/rest/webhook"]
    assert {path["backend"]["service"]["name"] for path in paths} == {"amma-rasa"}


# --- The pods ---------------------------------------------------------------------


def test_no_container_runs_as_root_or_can_become_root():
    for deployment in resources("Deployment"):
        pod = deployment["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["runAsUser"] != 0
        for container in containers(deployment):
            context = container["securityContext"]
            assert context.get("runAsUser", pod["securityContext"]["runAsUser"]) != 0
            assert context.get("privileged", False) is False
            assert context["allowPrivilegeEscalation"] is False
            assert context["readOnlyRootFilesystem"] is True
            assert context["capabilities"]["drop"] == ["ALL"]


def test_every_deployment_has_probes_and_resource_limits():
    for deployment in resources("Deployment"):
        for container in containers(deployment):
            name = container["name"]
            assert "readinessProbe" in container, f"{name} has no readiness probe"
            assert "livenessProbe" in container, f"{name} has no liveness probe"
            assert {"cpu", "memory"} <= set(container["resources"]["limits"]), f"{name} has no limits"
            assert {"cpu", "memory"} <= set(container["resources"]["requests"]), f"{name} has no requests"


def test_the_rasa_server_gets_about_one_and_a_half_gibibytes():
    resources_ = rasa_container()["resources"]
    assert resources_["requests"]["memory"] == "1536Mi"
    assert resources_["limits"]["memory"] == "2Gi"


def test_probes_ask_the_right_endpoints():
    rasa = rasa_container()
    # /status needs the token and answers 200 only once the model is loaded.
    readiness = " ".join(rasa["readinessProbe"]["exec"]["command"])
    assert "/status?token=" in readiness and "AMMA_API_TOKEN" in readiness
    assert rasa["livenessProbe"]["httpGet"]["path"] == "/version"
    (actions,) = one("Deployment", "amma-actions")["spec"]["template"]["spec"]["containers"]
    assert actions["readinessProbe"]["httpGet"]["path"] == "/health"
    assert actions["livenessProbe"]["httpGet"]["path"] == "/health"


def test_the_action_server_holds_no_secret():
    (actions,) = one("Deployment", "amma-actions")["spec"]["template"]["spec"]["containers"]
    assert "secretKeyRef" not in str(actions) and "secretRef" not in str(actions)


def test_rasa_requires_the_api_token_from_the_secret_and_never_allows_every_origin():
    container = rasa_container()
    args = container["args"]
    assert "--enable-api" in args
    assert args[args.index("--auth-token") + 1] == "$(AMMA_API_TOKEN)"
    token = next(env for env in container["env"] if env["name"] == "AMMA_API_TOKEN")
    assert token["valueFrom"]["secretKeyRef"] == {"name": SECRET_NAME, "key": "AMMA_API_TOKEN"}
    cors = args[args.index("--cors") + 1]
    assert cors == "$(AMMA_CORS_ORIGINS)"
    origins = one("ConfigMap", "amma-settings")["data"]["AMMA_CORS_ORIGINS"]
    assert origins.startswith("https://") and "*" not in origins
    assert "*" not in args


def test_nothing_holds_a_literal_secret():
    for deployment in resources("Deployment"):
        for container in containers(deployment):
            for env in container.get("env", []):
                if env["name"] in SECRET_ENV:
                    assert "value" not in env, f"{env['name']} is written into {deployment['metadata']['name']}"
                    assert env["valueFrom"]["secretKeyRef"]["name"] == SECRET_NAME
    assert resources("Secret") == [], "the Secret is created with kubectl, never applied from the repo"
    for config_map in resources("ConfigMap"):
        for key in config_map["data"]:
            assert not re.search(r"TOKEN|SECRET|PASSWORD|DATABASE_URL", key), f"{key} belongs in the Secret"
        for text in config_map["data"].values():
            assert "://" not in text or "@" not in text, "a URL with credentials in a ConfigMap"
    endpoints = yaml.safe_load(one("ConfigMap", "amma-endpoints")["data"]["endpoints.yml"])
    assert endpoints["lock_store"]["password"] == "${AMMA_REDIS_PASSWORD}"
    # The example only names the keys: every value is a <placeholder>.
    (example,) = documents(K8S / "secret.example.yaml")
    assert set(example["stringData"]) == {"AMMA_API_TOKEN", "AMMA_DATABASE_URL", "AMMA_REDIS_PASSWORD"}
    assert all(re.fullmatch(r"<[^<>]+>", value) for value in example["stringData"].values())
    assert "data" not in example


# --- Scale-out -----------------------------------------------------------------


def test_at_least_two_of_each_server_and_a_disruption_budget_for_each():
    assert one("Deployment", "amma-rasa")["spec"]["replicas"] >= 2
    assert one("Deployment", "amma-actions")["spec"]["replicas"] >= 2
    budgets = {doc["metadata"]["name"]: doc["spec"] for doc in resources("PodDisruptionBudget")}
    assert budgets["amma-rasa"] == {"minAvailable": 1, "selector": {"matchLabels": RASA_LABELS}}
    assert budgets["amma-actions"] == {"minAvailable": 1, "selector": {"matchLabels": ACTION_LABELS}}


def test_rasa_pods_share_a_redis_lock_store_and_the_postgresql_tracker_store():
    endpoints = yaml.safe_load(one("ConfigMap", "amma-endpoints")["data"]["endpoints.yml"])
    assert endpoints["lock_store"]["type"] == "stores.lock_store.AtomicRedisLockStore"  # Redis, atomic tickets
    assert endpoints["tracker_store"]["type"] == "stores.tracker_store.AmmaTrackerStore"
    database = next(env for env in rasa_container()["env"] if env["name"] == "AMMA_DATABASE_URL")
    assert database["valueFrom"]["secretKeyRef"] == {"name": SECRET_NAME, "key": "AMMA_DATABASE_URL"}
    assert endpoints["action_endpoint"]["url"] == f"http://amma-actions:{ACTION_PORT}/webhook"
    # The safety net checks the health of the same action server the actions run on.
    settings = one("ConfigMap", "amma-settings")["data"]
    assert settings["AMMA_ACTION_SERVER_URL"] == endpoints["action_endpoint"]["url"]


def test_the_rasa_pods_mount_the_endpoints_and_credentials_they_are_given():
    container = rasa_container()
    args = container["args"]
    (mount,) = [m for m in container["volumeMounts"] if m["name"] == "config"]
    assert args[args.index("--endpoints") + 1] == f"{mount['mountPath']}/endpoints.yml"
    assert args[args.index("--credentials") + 1] == f"{mount['mountPath']}/credentials.yml"
    data = one("ConfigMap", "amma-endpoints")["data"]
    assert {"endpoints.yml", "credentials.yml"} <= set(data)


# --- The image ---------------------------------------------------------------------


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments left out."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    lines = [line.strip() for line in text.splitlines()]
    pairs = [line.split(None, 1) for line in lines if line and not line.startswith("#")]
    return [(name, args) for name, args in pairs]


def test_the_image_is_python_3_10_with_the_locked_dependencies():
    instructions = dockerfile_instructions()
    bases = [args.split()[0] for name, args in instructions if name == "FROM"]
    assert bases[0] == "python:3.10-slim"
    runs = [args for name, args in instructions if name == "RUN"]
    installs = [run for run in runs if "pip install" in run]
    assert installs == [
        "pip install -r requirements.txt -c constraints.txt",
        "pip install --no-deps --only-binary :all: --require-hashes -r requirements-nodeps.txt",
    ]


def test_the_image_trains_at_build_time_and_runs_as_a_non_root_user():
    instructions = dockerfile_instructions()
    assert any(name == "RUN" and "rasa train" in args for name, args in instructions)
    users = [args for name, args in instructions if name == "USER"]
    assert users and users[-1].split(":")[0] not in ("0", "root")
    # Nothing the pods run trains: the model path they load is the one the image holds.
    assert "train" not in rasa_container()["args"]
    assert rasa_container()["args"][rasa_container()["args"].index("--model") + 1] == "/app/models/amma.tar.gz"
    assert any(name == "COPY" and args.endswith("/app/models/amma.tar.gz") for name, args in instructions)


def test_the_build_context_leaves_out_local_secrets_and_state():
    ignored = (ROOT / "ops" / "Dockerfile.dockerignore").read_text().split()
    assert {".env", ".venv", "models", "*.db", ".git"} <= set(ignored)
