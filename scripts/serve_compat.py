#!/usr/bin/env python3
"""Open Inference Protocol compatibility check of a running `ml2tensor serve` (not needed by CI).

Uses tritonclient (http and grpc) when it is importable; otherwise plain `requests` for REST and grpcio
stubs generated at run time from the committed serve/src/main/proto/grpc_predict_v2.proto, making the same
calls those clients make: health, server and model metadata, JSON infer, binary-data infer
(Inference-Header-Content-Length, binary_data_size / binary_data), gRPC infer with raw_input_contents.
Every prediction is compared with scikit-learn's own (the fixture's expected.csv).

Usage: serve_compat.py --http 127.0.0.1:8080 --grpc 127.0.0.1:8081 --model iris --fixture DIR
Exit status 0 when every check passes; prints one line per check and "N passed, N failed".
"""
import argparse
import csv
import importlib
import json
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

RESULTS = []


def check(name, ok, detail=""):
    RESULTS.append(ok)
    print(f"{'PASS' if ok else 'FAIL'} {name}{': ' + detail if detail and not ok else ''}")


def load_fixture(d: Path):
    with open(d / "input.csv") as f:
        r = list(csv.reader(f))
    x = np.array([[np.nan if c.lower() in ("", "nan") else float(c) for c in row] for row in r[1:]], dtype=np.float32)
    with open(d / "expected.csv") as f:
        e = list(csv.reader(f))
    labels = [row[0] for row in e[1:]]
    proba = np.array([[float(c) for c in row[1:]] for row in e[1:]])
    return x, labels, proba


def compare(prefix, labels, proba, want_labels, want_proba):
    check(f"{prefix} labels equal scikit-learn's", [str(v) for v in labels] == want_labels)
    err = float(np.max(np.abs(np.asarray(proba, dtype=np.float64) - want_proba)))
    check(f"{prefix} probabilities within 2e-5 of scikit-learn's", err <= 2e-5, f"max error {err}")


def with_tritonclient(a, x, wl, wp):
    import tritonclient.grpc as grpcclient
    import tritonclient.http as httpclient
    print("client: tritonclient", importlib.metadata.version("tritonclient"))
    h = httpclient.InferenceServerClient(a.http)
    check("http is_server_live", h.is_server_live())
    check("http is_server_ready", h.is_server_ready())
    check("http is_model_ready", h.is_model_ready(a.model))
    meta = h.get_model_metadata(a.model)
    check("http model metadata input", meta["inputs"][0]["datatype"] == "FP32")
    for binary in (False, True):
        i = httpclient.InferInput("input", list(x.shape), "FP32")
        i.set_data_from_numpy(x, binary_data=binary)
        outs = [httpclient.InferRequestedOutput(o["name"], binary_data=binary) for o in meta["outputs"]]
        r = h.infer(a.model, [i], outputs=outs)
        lab = [v.decode() if isinstance(v, bytes) else v for v in r.as_numpy("label").tolist()]
        compare(f"http infer (binary={binary})", lab, r.as_numpy("probabilities"), wl, wp)
    g = grpcclient.InferenceServerClient(a.grpc)
    check("grpc is_server_live", g.is_server_live())
    check("grpc is_model_ready", g.is_model_ready(a.model))
    i = grpcclient.InferInput("input", list(x.shape), "FP32")
    i.set_data_from_numpy(x)
    r = g.infer(a.model, [i])
    lab = [v.decode() if isinstance(v, bytes) else v for v in r.as_numpy("label").tolist()]
    compare("grpc infer", lab, r.as_numpy("probabilities"), wl, wp)


def with_requests_and_grpcio(a, x, wl, wp):
    import grpc
    import requests
    print("client: requests", requests.__version__, "+ grpcio", grpc.__version__, "(tritonclient not installed)")
    base = f"http://{a.http}"
    check("GET /v2/health/live", requests.get(base + "/v2/health/live").status_code == 200)
    check("GET /v2/health/ready", requests.get(base + "/v2/health/ready").status_code == 200)
    check("GET /v2", "binary_tensor_data" in requests.get(base + "/v2").json()["extensions"])
    check("GET model ready", requests.get(f"{base}/v2/models/{a.model}/ready").status_code == 200)
    meta = requests.get(f"{base}/v2/models/{a.model}").json()
    check("model metadata", meta["inputs"][0] == {"name": "input", "datatype": "FP32", "shape": [-1, x.shape[1]]},
          json.dumps(meta))
    # JSON infer, as tritonclient.http with binary_data=False sends it
    body = {"inputs": [{"name": "input", "shape": list(x.shape), "datatype": "FP32",
                        "data": [None if np.isnan(v) else float(v) for v in x.flatten()]}],
            "outputs": [{"name": o["name"], "parameters": {"binary_data": False}} for o in meta["outputs"]]}
    r = requests.post(f"{base}/v2/models/{a.model}/infer", json=body).json()
    out = {o["name"]: o for o in r["outputs"]}
    compare("REST JSON infer", out["label"]["data"], np.array(out["probabilities"]["data"]).reshape(-1, wp.shape[1]),
            wl, wp)
    # binary-data extension, as tritonclient.http with binary_data=True sends it
    raw = x.astype("<f4").tobytes()
    head = json.dumps({"inputs": [{"name": "input", "shape": list(x.shape), "datatype": "FP32",
                                   "parameters": {"binary_data_size": len(raw)}}],
                       "outputs": [{"name": o["name"], "parameters": {"binary_data": True}} for o in meta["outputs"]]
                       }).encode()
    resp = requests.post(f"{base}/v2/models/{a.model}/infer", data=head + raw,
                         headers={"Inference-Header-Content-Length": str(len(head)),
                                  "Content-Type": "application/octet-stream"})
    n = int(resp.headers["Inference-Header-Content-Length"])
    rh = json.loads(resp.content[:n])
    at = n
    got = {}
    for o in rh["outputs"]:
        size = o["parameters"]["binary_data_size"]
        chunk = resp.content[at:at + size]
        at += size
        if o["datatype"] == "BYTES":
            vals, i = [], 0
            while i < len(chunk):
                (ln,) = struct.unpack_from("<I", chunk, i)
                vals.append(chunk[i + 4:i + 4 + ln].decode())
                i += 4 + ln
            got[o["name"]] = vals
        else:
            got[o["name"]] = np.frombuffer(chunk, dtype={"FP32": "<f4", "INT64": "<i8", "FP64": "<f8"}[o["datatype"]])
    compare("REST binary infer", got["label"], got["probabilities"].reshape(-1, wp.shape[1]), wl, wp)
    bad = requests.post(f"{base}/v2/models/{a.model}/infer", data=b"{not json")
    check("REST malformed JSON -> 400 {error}", bad.status_code == 400 and "error" in bad.json())
    # gRPC through stubs generated from the committed proto
    proto = Path(__file__).resolve().parent.parent / "serve/src/main/proto/grpc_predict_v2.proto"
    gen = Path(tempfile.mkdtemp(prefix="oip-stubs-"))
    subprocess.run([sys.executable, "-m", "grpc_tools.protoc", f"-I{proto.parent}", f"--python_out={gen}",
                    f"--grpc_python_out={gen}", str(proto)], check=True)
    sys.path.insert(0, str(gen))
    pb = importlib.import_module("grpc_predict_v2_pb2")
    pbg = importlib.import_module("grpc_predict_v2_pb2_grpc")
    stub = pbg.GRPCInferenceServiceStub(grpc.insecure_channel(a.grpc))
    check("grpc ServerLive", stub.ServerLive(pb.ServerLiveRequest()).live)
    check("grpc ServerReady", stub.ServerReady(pb.ServerReadyRequest()).ready)
    check("grpc ModelReady", stub.ModelReady(pb.ModelReadyRequest(name=a.model)).ready)
    md = stub.ModelMetadata(pb.ModelMetadataRequest(name=a.model))
    check("grpc ModelMetadata", md.inputs[0].datatype == "FP32" and list(md.inputs[0].shape) == [-1, x.shape[1]])
    req = pb.ModelInferRequest(model_name=a.model, inputs=[pb.ModelInferRequest.InferInputTensor(
        name="input", datatype="FP32", shape=list(x.shape))], raw_input_contents=[raw])
    resp = stub.ModelInfer(req)
    outs = {o.name: i for i, o in enumerate(resp.outputs)}
    lab_raw = resp.raw_output_contents[outs["label"]]
    labels, i = [], 0
    while i < len(lab_raw):
        (ln,) = struct.unpack_from("<I", lab_raw, i)
        labels.append(lab_raw[i + 4:i + 4 + ln].decode())
        i += 4 + ln
    proba = np.frombuffer(resp.raw_output_contents[outs["probabilities"]], dtype="<f4").reshape(-1, wp.shape[1])
    compare("grpc raw infer", labels, proba, wl, wp)
    try:
        stub.ModelInfer(pb.ModelInferRequest(model_name="no-such-model"))
        check("grpc unknown model -> NOT_FOUND", False)
    except grpc.RpcError as e:
        check("grpc unknown model -> NOT_FOUND", e.code() == grpc.StatusCode.NOT_FOUND)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--http", default="127.0.0.1:8080")
    ap.add_argument("--grpc", default="127.0.0.1:8081")
    ap.add_argument("--model", default="iris")
    ap.add_argument("--fixture", type=Path, required=True)
    a = ap.parse_args()
    for hp in (a.http, a.grpc):
        if not hp.split(":")[0] in ("127.0.0.1", "localhost", "[::1]"):
            sys.exit("loopback addresses only")
    x, wl, wp = load_fixture(a.fixture)
    try:
        import tritonclient.http  # noqa: F401
        with_tritonclient(a, x, wl, wp)
    except ImportError:
        with_requests_and_grpcio(a, x, wl, wp)
    passed = sum(RESULTS)
    print(f"{passed} passed, {len(RESULTS) - passed} failed")
    sys.exit(0 if passed == len(RESULTS) else 1)


if __name__ == "__main__":
    main()
