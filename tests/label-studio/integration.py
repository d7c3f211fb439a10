"""Loupe as the ML backend of a real Label Studio: the run scripts/label-studio-check.sh drives.

Usage: python integration.py LABEL_STUDIO_URL LS_TOKEN LOUPE_URL IMAGES_DIR LOUPE_BIN LAB

Creates a BrushLabels project, imports the images, connects Loupe, submits the experts' masks
as annotations through Label Studio, and checks on both sides: Loupe records the corrections
under the Label Studio user, trains and promotes; Label Studio receives predictions in the brush
RLE, from the first model and then from the next; a keypoint relayed by Label Studio's
interactive mode is answered with the hinted mask. Prints a timeline of both sides.
"""
import base64
import json
import subprocess
import sys
import time
import zlib

import os

import numpy as np
import requests
from label_studio_converter import brush

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "browser"))
from make_images import vessel  # noqa: E402  the synthetic images' own vessels: the experts' truth

LS, TOKEN, LOUPE, IMAGES, LOUPE_BIN, LAB = sys.argv[1:7]
AUTH = {"Authorization": f"Token {TOKEN}"}
CONFIG = """<View>
  <Image name="image" value="$image"/>
  <BrushLabels name="vessels" toName="image"><Label value="Vessel" background="#D4380D"/></BrushLabels>
</View>"""
START = time.time()
TIMELINE = []


def note(side, what):
    TIMELINE.append((time.time() - START, side, what))
    print(f"{time.time() - START:7.1f} s  {side:12}  {what}", flush=True)


def ls(method, path, **kwargs):
    response = requests.request(method, LS + path, headers=AUTH, timeout=120, **kwargs)
    if response.status_code >= 300:
        raise SystemExit(f"Label Studio {method} {path}: {response.status_code} {response.text[:500]}")
    return response.json() if response.content else None


def read_png(path):
    """A grey or RGB 8-bit PNG as a 2-D array of its first channel (stdlib zlib only)."""
    data = open(path, "rb").read()
    pos, idat, width, height, colour = 8, b"", 0, 0, 0
    while pos < len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, colour = int.from_bytes(body[:4], "big"), int.from_bytes(body[4:8], "big"), body[9]
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour]
    raw, stride = zlib.decompress(idat), width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up, corner = previous[x], previous[x - channels] if x >= channels else 0
            if kind == 1: line[x] = (line[x] + left) & 255
            elif kind == 2: line[x] = (line[x] + up) & 255
            elif kind == 3: line[x] = (line[x] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        rows.append(bytes(line[::channels]))
        previous = line
    return np.array([list(r) for r in rows], dtype=np.uint8)


def loupe_png(image, file):
    response = requests.get(f"{LOUPE}/api/v1/images/{image}/{file}", timeout=60)
    response.raise_for_status()
    path = f"{LAB}/../{image}-{file}"
    open(path, "wb").write(response.content)
    return read_png(path)


def loupe_events(kind):
    out = subprocess.run([LOUPE_BIN, "log", "--lab", LAB, "--json", "--type", kind], capture_output=True, text=True, check=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def wait_for(what, check, seconds=300):
    deadline = time.time() + seconds
    while time.time() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.5)
    raise SystemExit(f"timed out after {seconds} s waiting for {what}")


def annotate(task, mask):
    result = [{"from_name": "vessels", "to_name": "image", "type": "brushlabels",
               "original_width": int(mask.shape[1]), "original_height": int(mask.shape[0]),
               "value": {"format": "rle", "rle": brush.mask2rle(mask), "brushlabels": ["Vessel"]}}]
    created = ls("POST", f"/api/tasks/{task['id']}/annotations", json={"result": result, "task": task["id"]})
    note("label-studio", f"annotation {created['id']} submitted on task {task['id']} by user {created.get('completed_by')}")


def promoted_models():
    return [e["payload"]["model"] for e in loupe_events("ModelPromoted")]


def predictions_of(task_id):
    return ls("GET", f"/api/predictions?task={task_id}")


def retrieve(project, version):
    ls("POST", f"/api/dm/actions?id=retrieve_tasks_predictions&project={project}",
       json={"selectedItems": {"all": True, "excluded": []}})
    tasks = ls("GET", f"/api/tasks?project={project}&fields=all")["tasks"]
    got = {}
    for task in tasks:
        mine = [p for p in predictions_of(task["id"]) if p["model_version"] == version]
        if mine:
            got[task["id"]] = mine[-1]
    note("label-studio", f"predictions of model {version} on {len(got)} of {len(tasks)} tasks")
    return tasks, got


def check_prediction_matches_loupe(task, prediction, image):
    value = prediction["result"][0]["value"]
    h, w = prediction["result"][0]["original_height"], prediction["result"][0]["original_width"]
    decoded = brush.decode_rle(value["rle"]).reshape(h, w, 4)[:, :, 3]
    served = loupe_png(image, "prediction.png")
    assert (decoded == served).all(), f"task {task['id']}: the RLE decodes to another mask than prediction.png"
    assert value["rle"] == brush.mask2rle(served), f"task {task['id']}: Loupe's RLE is not byte for byte the converter's"
    assert 0 <= prediction["score"] <= 1


def check_interactive_hint(backend, task, image):
    """A keypoint placed with an interactive tool, as Label Studio's page relays it
    (POST /api/ml/ID/interactive-annotating, which calls Loupe's /predict with params.context):
    Loupe answers the whole brush mask, its prediction with the hint's region applied, the same
    as its own hint endpoint gives for the click."""
    served = loupe_png(image, "prediction.png")
    h, w = served.shape
    x, y = next((x, y) for y in range(8, h - 8) for x in range(8, w - 8) if vessel(x, y, 3, w) and served[y, x] < 128)
    keypoint = {"id": "hint1", "from_name": "hint", "to_name": "image", "type": "keypointlabels", "origin": "manual",
                "original_width": w, "original_height": h, "image_rotation": 0, "is_positive": True,
                "value": {"x": (x + 0.5) / w * 100, "y": (y + 0.5) / h * 100, "width": 0.5, "keypointlabels": ["Vessel"]}}
    answer = ls("POST", f"/api/ml/{backend}/interactive-annotating", json={"task": task["id"], "context": {"result": [keypoint]}})
    assert "data" in answer, f"Label Studio relayed no answer: {answer}"
    region = answer["data"]["result"][0]
    decoded = brush.decode_rle(region["value"]["rle"]).reshape(h, w, 4)[:, :, 3]
    direct = requests.post(f"{LOUPE}/api/v1/images/{image}/hints", json={"clicks": [{"x": x, "y": y, "kind": "vessel"}]}, timeout=60)
    direct.raise_for_status()
    # A hint claims the image, as opening it in the page does; released, as the page does on leaving.
    requests.delete(f"{LOUPE}/api/v1/images/{image}/claim", timeout=60).raise_for_status()
    hint = direct.json()
    expected = served.copy()
    r = hint["region"]
    after = read_png_bytes(base64.b64decode(hint["mask"]), f"{LAB}/../hint-after.png")
    before = read_png_bytes(base64.b64decode(hint["previousMask"]), f"{LAB}/../hint-before.png")
    window = expected[r["y"]:r["y"] + r["height"], r["x"]:r["x"] + r["width"]]
    window[after != before] = after[after != before]
    assert (decoded == expected).all(), "the interactive answer is not the prediction with the hint applied"
    note("check", f"a keypoint at ({x}, {y}) relayed by Label Studio's interactive-annotating is answered with the hinted mask "
         f"({int((decoded != served).sum())} pixels changed from the prediction; model {hint['model'][:12]})")


def read_png_bytes(data, path):
    open(path, "wb").write(data)
    return read_png(path)


def main():
    project = ls("POST", "/api/projects", json={"title": "Loupe vessels", "label_config": CONFIG})["id"]
    note("label-studio", f"project {project} created with a BrushLabels config")
    for n in (1, 2, 3, 4):
        with open(f"{IMAGES}/im{n}.png", "rb") as f:
            ls("POST", f"/api/projects/{project}/import", files={f"file{n}": (f"im{n}.png", f, "image/png")})
    tasks = ls("GET", f"/api/tasks?project={project}&fields=all")["tasks"]
    note("label-studio", f"{len(tasks)} tasks imported")
    # Interactive: Label Studio relays its smart tools' keypoints (check_interactive_hint).
    backend = ls("POST", "/api/ml", json={"url": f"{LOUPE}/ls", "project": project, "title": "Loupe", "is_interactive": True})
    note("label-studio", f"ML backend {backend['id']} connected: state {backend.get('state')}, model_version {backend.get('model_version')!r}")
    hooks = ls("GET", f"/api/webhooks?project={project}")
    assert any(h["url"].rstrip("/").endswith("/ls/webhook") for h in hooks), f"no webhook to Loupe: {hooks}"

    by_name = {t["data"]["image"].rsplit("-", 1)[-1].split(".")[0]: t for t in tasks}
    masks = {n: read_png(f"{IMAGES}/im{n}.mask.png") for n in (1, 2)}
    for n in (1, 2):
        annotate(by_name[f"im{n}"], masks[n])
    accepted = wait_for("two CorrectionAccepted", lambda: (lambda e: e if len(e) >= 2 else None)(loupe_events("CorrectionAccepted")))
    for event in accepted:
        note("loupe", f"CorrectionAccepted seq {event['seq']} by {event['payload'].get('annotator')} for image {event['payload']['image'][:12]}")
        assert event["payload"]["annotator"].startswith("ls-1-"), event
    links = {e["payload"]["task"]: e["payload"]["image"] for e in loupe_events("LabelStudioTaskLinked")}
    note("loupe", f"{len(links)} LabelStudioTaskLinked events")
    for n in (1, 2):
        corrected = loupe_png(links[by_name[f"im{n}"]["id"]], "correction.png")
        assert (corrected == masks[n]).all(), f"im{n}: the correction Loupe recorded is not the mask submitted"
    note("check", "each correction Loupe recorded is, pixel for pixel, the mask submitted in Label Studio")

    first = wait_for("a promoted model", lambda: promoted_models())[0]
    note("loupe", f"ModelPromoted {first[:12]}")
    version = first[:12]
    tasks, got = retrieve(project, version)
    assert len(got) == len(tasks), f"predictions of {version} on {len(got)} of {len(tasks)} tasks"
    links = {e["payload"]["task"]: e["payload"]["image"] for e in loupe_events("LabelStudioTaskLinked")}
    for task in tasks:
        check_prediction_matches_loupe(task, got[task["id"]], links[task["id"]])
    note("check", "every prediction's RLE is the converter's encoding of Loupe's prediction.png")
    check_interactive_hint(backend["id"], by_name["im3"], links[by_name["im3"]["id"]])

    h, w = masks[1].shape
    for n in (3, 4):
        annotate(by_name[f"im{n}"], np.array([[255 if vessel(x, y, n, w) else 0 for x in range(w)] for y in range(h)], np.uint8))
    second = wait_for("a second promoted model", lambda: (lambda m: m if len(m) >= 2 else None)(promoted_models()), seconds=600)[-1]
    note("loupe", f"ModelPromoted {second[:12]}")
    tasks, got = retrieve(project, second[:12])
    assert got, f"no prediction of the second model {second[:12]} reached Label Studio"
    for event in loupe_events("ModelTrained"):
        dice = event["payload"].get("validationDice")
        note("loupe", f"run {event['payload']['run']} trained {event['payload']['model'][:12]}, held-back Dice {dice if dice is None else round(dice, 3)}")
    print("label-studio-check: passed")


if __name__ == "__main__":
    main()
