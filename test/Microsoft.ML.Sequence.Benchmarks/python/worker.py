"""PyTorch side of build/bench.sh: a line-oriented JSON worker driven by the C# benchmark program.

The C# program alternates requests between itself and this worker, so both sides are timed in the same run, on the
same machine state, with the same thread settings. Only Debian's python3-torch (same libtorch 1.13) is used.
Run with /usr/bin/python3: the python3 on PATH may be another interpreter without torch.
"""
import ctypes
import json
import os
import sys
import time

import numpy as np
import torch

_blas = None


def _openblas():
    global _blas
    if _blas is None:
        for name in ("libopenblas.so.0", "libblas.so.3"):
            try:
                lib = ctypes.CDLL(name)
                lib.openblas_get_num_threads  # noqa: B018 - raises AttributeError when absent
                _blas = lib
                break
            except (OSError, AttributeError):
                continue
    return _blas


def set_threads(intra, blas):
    torch.set_num_threads(intra)
    lib = _openblas()
    if lib is not None:
        lib.openblas_set_num_threads(blas)
    return {"intra": torch.get_num_threads(), "blas": lib.openblas_get_num_threads() if lib else 0}


def load_tensors(directory):
    with open(os.path.join(directory, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    tensors = {}
    for entry in manifest["tensors"]:
        dtype = {"float32": np.float32, "int64": np.int64}[entry["dtype"]]
        array = np.fromfile(os.path.join(directory, entry["file"]), dtype=dtype).reshape(entry["shape"])
        tensors[entry["name"]] = torch.from_numpy(array.copy())
    return manifest, tensors


class LstmClassifier(torch.nn.Module):
    """LSTM over the sequence, linear read-out of the last step's hidden state (same as the C# benchmark)."""

    def __init__(self, inputs, hidden, classes):
        super().__init__()
        self.lstm = torch.nn.LSTM(inputs, hidden, batch_first=True)
        self.head = torch.nn.Linear(hidden, classes)

    def forward(self, x):
        output, _ = self.lstm(x)
        return self.head(output[:, -1, :])


class LstmStep:
    def __init__(self, directory):
        manifest, t = load_tensors(directory)
        cfg = manifest["config"]
        self.model = LstmClassifier(cfg["inputs"], cfg["hidden"], cfg["classes"])
        with torch.no_grad():
            for name, p in self.model.named_parameters():
                p.copy_(t[name])
        self.x = t["x"]
        self.y = t["y"]
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=cfg["learning_rate"])
        self.parameter_count = sum(p.numel() for p in self.model.parameters())

    def step(self):
        self.optimizer.zero_grad(set_to_none=True)
        loss = torch.nn.functional.cross_entropy(self.model(self.x), self.y)
        loss.backward()
        self.optimizer.step()
        return loss.item()


class MixedLength:
    """BiLSTM forward + backward over batches of mixed lengths (same lengths as the C# side, random values)."""

    def __init__(self, lengths, inputs, hidden, seed):
        torch.manual_seed(seed)
        self.lstm = torch.nn.LSTM(inputs, hidden, batch_first=True, bidirectional=True)
        self.lengths = [torch.tensor(b, dtype=torch.int64) for b in lengths]
        self.inputs = [torch.randn(len(b), max(b), inputs) for b in lengths]

    def run(self, mode):
        start = time.perf_counter()
        for x, lengths in zip(self.inputs, self.lengths):
            self.lstm.zero_grad(set_to_none=True)
            if mode == "packed":
                packed = torch.nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
                out, (h, _) = self.lstm(packed)
                out, _ = torch.nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=x.shape[1])
            else:
                out, (h, _) = self.lstm(x)
            (out.sum() + h.sum()).backward()
        return time.perf_counter() - start


def op_overhead(iterations):
    a = torch.rand(4)
    b = torch.rand(4)
    start = time.perf_counter()
    for _ in range(iterations):
        c = a + b
    del c
    return time.perf_counter() - start


def main():
    state = {}
    for line in sys.stdin:
        request = json.loads(line)
        command = request["command"]
        if command == "threads":
            reply = set_threads(request["intra"], request["blas"])
        elif command == "op_overhead":
            reply = {"seconds": op_overhead(request["iterations"])}
        elif command == "lstm_load":
            state["lstm"] = LstmStep(request["directory"])
            reply = {"parameters": state["lstm"].parameter_count}
        elif command == "lstm_steps":
            start = time.perf_counter()
            losses = [state["lstm"].step() for _ in range(request["steps"])]
            reply = {"seconds": time.perf_counter() - start, "losses": losses}
        elif command.startswith("ewt_"):
            import ewt_tagger  # noqa: PLC0415 - loaded only when the ewt-tagger benchmark runs

            reply = ewt_tagger.handle(command, request, state)
        elif command == "mixed_load":
            state["mixed"] = MixedLength(request["lengths"], request["inputs"], request["hidden"], request["seed"])
            reply = {}
        elif command == "mixed_run":
            reply = {"seconds": state["mixed"].run(request["mode"])}
        elif command == "version":
            reply = {"torch": torch.__version__}
        elif command == "quit":
            break
        else:
            reply = {"error": f"unknown command {command}"}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
