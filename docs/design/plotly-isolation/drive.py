import json, subprocess, sys, time, threading, queue
cells = json.load(open(sys.argv[1]))
p = subprocess.Popen(["/tmp/plotly-spike/tools/dotnet-interactive", "stdio", "--default-kernel", "csharp"],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1)
q = queue.Queue()
threading.Thread(target=lambda: [q.put(l) for l in p.stdout], daemon=True).start()
threading.Thread(target=lambda: [sys.stderr.write("ERR: " + l) for l in p.stderr], daemon=True).start()
for i, code in enumerate(cells):
    tok = f"cell{i}"
    env = {"token": tok, "commandType": "SubmitCode", "command": {"code": code, "targetKernelName": "csharp"}}
    p.stdin.write(json.dumps(env) + "\n"); p.stdin.flush()
    print(f"===== CELL {i}: {code[:120]!r}")
    deadline = time.time() + 300
    while time.time() < deadline:
        try: line = q.get(timeout=5)
        except queue.Empty: continue
        try: ev = json.loads(line)
        except Exception: print("RAW", line[:300]); continue
        et = ev.get("eventType")
        cmdtok = (ev.get("command") or {}).get("token", "")
        e = ev.get("event", {})
        if et in ("StandardOutputValueProduced", "ReturnValueProduced", "DisplayedValueProduced", "StandardErrorValueProduced", "ErrorProduced", "CommandFailed", "DiagnosticsProduced"):
            fv = e.get("formattedValues") or []
            txt = " | ".join(f"{v['mimeType']}: {v['value'][:600]}" for v in fv) if fv else json.dumps(e)[:1500]
            if et == "CommandFailed": txt = e.get("message", "")[:1500]
            if et == "DiagnosticsProduced": txt = json.dumps([d.get("message") for d in e.get("diagnostics", [])])[:800]
            print(f"  [{et}] {txt}")
        if et in ("CommandSucceeded", "CommandFailed") and cmdtok == tok:
            print(f"  -> {et}")
            break
p.stdin.close(); p.terminate()
