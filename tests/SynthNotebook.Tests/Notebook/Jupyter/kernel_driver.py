"""Drives one dotnet-interactive kernel through jupyter_client, as a Jupyter front end does, for ToolKernel.cs.

Reads one JSON command a line from stdin and answers one JSON line on stdout:
  {"run": CODE}       -> {"html": [...], "errors": [...]}   the cell's outputs (text/html, else text/plain), errors
  {"signal": "TERM"}  -> {"alive": bool, "exit": int|null}  after the signal, whether the kernel still runs
  {"shutdown": true}  -> {"alive": false, "exit": int}      Jupyter's own shutdown (a shutdown_request)
The first line it writes is {"pid": PID} once the kernel is ready.
"""
import json
import os
import signal
import sys
import time

from jupyter_client.manager import KernelManager

CELL_LIMIT_S = 300
END_LIMIT_S = 30


def answer(value):
    print(json.dumps(value), flush=True)


def run(client, code):
    msg_id = client.execute(code)
    html, errors = [], []
    while True:
        message = client.get_iopub_msg(timeout=CELL_LIMIT_S)
        if message["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = message["msg_type"], message["content"]
        if kind == "status" and content["execution_state"] == "idle":
            return {"html": html, "errors": errors}
        if kind in ("execute_result", "display_data"):
            html.append(content["data"].get("text/html") or content["data"].get("text/plain", ""))
        if kind == "error":
            errors.append(f"{content['ename']}: {content['evalue']}")


def wait_for_end(process, limit_s):
    deadline = time.monotonic() + limit_s
    while process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    return process.poll()


def main():
    manager = KernelManager(kernel_name=".net-csharp")
    manager.start_kernel(cwd=sys.argv[1])
    client = manager.client()
    client.start_channels()
    client.wait_for_ready(timeout=CELL_LIMIT_S)
    process = manager.provisioner.process
    answer({"pid": process.pid})
    for line in sys.stdin:
        command = json.loads(line)
        if "run" in command:
            answer(run(client, command["run"]))
        elif "signal" in command:
            os.kill(process.pid, getattr(signal, "SIG" + command["signal"]))
            code = wait_for_end(process, END_LIMIT_S)
            answer({"alive": code is None, "exit": code})
        elif "shutdown" in command:
            manager.shutdown_kernel(now=False)
            answer({"alive": False, "exit": wait_for_end(process, END_LIMIT_S)})
            return
    if manager.is_alive():
        manager.shutdown_kernel(now=True)


if __name__ == "__main__":
    main()
