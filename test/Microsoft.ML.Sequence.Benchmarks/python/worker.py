"""PyTorch side of build/bench.sh: a line-oriented JSON worker driven by the C# benchmark program.

The C# program alternates requests between itself and this worker, so both sides are timed in the same run, on the
same machine state, with the same thread settings (torch.set_num_threads(n), and OpenBLAS, which Debian's PyTorch 1.13
uses for BLAS, set to the same n). Only Debian's python3-torch (PyTorch 1.13) is used.
Run with /usr/bin/python3: the python3 on PATH may be another interpreter without torch.
"""
import ctypes
import json
import os
import re
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
    # The BLAS libtorch 1.13 actually calls (Debian's libblas.so.3 alternative; the reference BLAS when OpenBLAS is absent).
    with open("/proc/self/maps", encoding="utf-8") as maps:
        loaded = sorted({line.split()[-1] for line in maps if "libblas" in line or "openblas" in line})
    return {"intra": torch.get_num_threads(), "blas": lib.openblas_get_num_threads() if lib else 0,
            "blas_library": os.path.realpath(loaded[0]) if loaded else ""}


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


_TOKEN = re.compile(r"'(?:s|re|ve|ll|d|m)\b|[^\W_]+(?:['\-][^\W_]+)*|\.\.\.|[^\s\w]|_", re.IGNORECASE)
_CLITICS = ("'s", "'re", "'ve", "'ll", "'d", "'m")


def tokenize(text):
    """The classifier's TextTokenization.Words rules with lowercasing (RecurrentTextClassifier's defaults)."""
    tokens = []
    for token in _TOKEN.findall(text.lower().replace("\u2019", "'").replace("\u2018", "'")):
        if len(token) > 3 and token.endswith("n't"):
            tokens += [token[:-3], token[-3:]]
            continue
        clitic = next((c for c in _CLITICS if len(token) > 2 and token[0] != "'" and len(token) > len(c) and token.endswith(c)), None)
        if clitic:
            tokens += [token[:-len(clitic)], token[-len(clitic):]]
        else:
            tokens.append(token)
    return tokens


class Sst2Classifier(torch.nn.Module):
    """Embedding (row 0 = PAD) -> dropout -> BiLSTM over packed sequences -> max over valid steps -> dropout -> linear,
    the same network as RecurrentTextClassifier with its default options."""

    def __init__(self, rows, cfg):
        super().__init__()
        self.embedding = torch.nn.Embedding(rows, cfg["embedding"], padding_idx=0)
        self.input_dropout = torch.nn.Dropout(cfg["dropout"])
        self.encoder = torch.nn.LSTM(cfg["embedding"], cfg["hidden"], batch_first=True, bidirectional=True)
        self.output_dropout = torch.nn.Dropout(cfg["dropout"])
        self.head = torch.nn.Linear(2 * cfg["hidden"], cfg["classes"])

    def forward(self, keys, lengths):
        x = self.input_dropout(self.embedding(keys))
        packed = torch.nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        out, _ = self.encoder(packed)
        out, _ = torch.nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=keys.shape[1])
        mask = torch.arange(keys.shape[1]).unsqueeze(0) >= lengths.unsqueeze(1)
        pooled = out.masked_fill(mask.unsqueeze(-1), float("-inf")).max(dim=1).values
        return self.head(self.output_dropout(pooled))


class Sst2Epoch:
    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        self.cfg = data["config"]
        self.texts = data["texts"]
        self.labels = data["labels"]
        self.batches = data["batches"]

    def vocabulary(self):
        counts = {}
        for tokens in self.tokens:
            for token in tokens:
                if token != "<unk>":
                    counts[token] = counts.get(token, 0) + 1
        ordered = sorted(counts, key=lambda t: -counts[t])      # stable: ties keep first occurrence
        return {token: i + 2 for i, token in enumerate(ordered)}  # key 1 = UNK, 0 = PAD

    def prepare(self):
        self.tokens = [tokenize(t) for t in self.texts]
        self.vocab = self.vocabulary()
        keys = [[self.vocab.get(t, 1) for t in tokens] or [0] for tokens in self.tokens]
        self.model = Sst2Classifier(len(self.vocab) + 2, self.cfg)
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=self.cfg["learning_rate"])
        return keys

    def load(self):
        self.prepare()
        return {"vocabulary": len(self.vocab) + 1, "parameters": sum(p.numel() for p in self.model.parameters() if p.requires_grad)}

    def epoch(self):
        start = time.perf_counter()
        keys = self.prepare()
        labels = self.labels
        model_seconds = 0.0
        losses = []
        self.model.train()
        for rows in self.batches:
            longest = max(len(keys[r]) for r in rows)
            padded = np.zeros((len(rows), longest), dtype=np.int64)
            for i, r in enumerate(rows):
                padded[i, :len(keys[r])] = keys[r]
            lengths = np.array([len(keys[r]) for r in rows], dtype=np.int64)
            y = np.array([labels[r] for r in rows], dtype=np.int64)
            step = time.perf_counter()
            self.optimizer.zero_grad(set_to_none=True)
            loss = torch.nn.functional.cross_entropy(self.model(torch.from_numpy(padded), torch.from_numpy(lengths)), torch.from_numpy(y))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(self.model.parameters(), self.cfg["clip"])
            self.optimizer.step()
            losses.append(loss.item())
            model_seconds += time.perf_counter() - step
        return {"seconds": time.perf_counter() - start, "model_seconds": model_seconds, "loss": sum(losses) / len(losses)}
class Sst2Predict:
    """Scores SST-2 dev with the weights our fitted classifier saved in its ML.NET model.zip (the safetensors entry read
    by read_safetensors.py), in the batches our batched Transform forms: consecutive chunks of the dev rows, each one
    forward pass; tokenising and looking up keys in our vocabulary is timed too, as it is on our side."""

    def __init__(self, request):
        import zipfile  # noqa: PLC0415

        from read_safetensors import read_safetensors  # noqa: PLC0415 - the 20-line reader next to this file

        with open(request["file"], encoding="utf-8") as f:
            data = json.load(f)
        self.texts = data["texts"]
        self.batch = data["batch"]
        self.vocab = {token: key for key, token in enumerate(data["vocabulary"], start=1)}  # key 1 = <unk>, 0 = PAD
        with zipfile.ZipFile(data["model"]) as archive:
            entry = next(n for n in archive.namelist() if n.endswith("Weights.safetensors"))
            state = read_safetensors(archive.read(entry))
        self.model = Sst2Classifier(len(self.vocab) + 1, data["config"])
        self.model.load_state_dict(state)
        self.model.eval()

    def run(self):
        start = time.perf_counter()
        margins = []
        with torch.no_grad():
            for begin in range(0, len(self.texts), self.batch):
                keys = [[self.vocab.get(t, 1) for t in tokenize(text)] or [0] for text in self.texts[begin:begin + self.batch]]
                longest = max(len(k) for k in keys)
                padded = torch.zeros((len(keys), longest), dtype=torch.int64)
                for i, k in enumerate(keys):
                    padded[i, :len(k)] = torch.tensor(k, dtype=torch.int64)
                lengths = torch.tensor([len(k) for k in keys], dtype=torch.int64)
                logits = self.model(padded, lengths)
                margins += (logits[:, 1] - logits[:, 0]).tolist()
        return {"seconds": time.perf_counter() - start, "margins": margins}


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


def main():
    state = {}
    for line in sys.stdin:
        request = json.loads(line)
        command = request["command"]
        if command == "threads":
            reply = set_threads(request["intra"], request["blas"])
        elif command == "lstm_load":
            state["lstm"] = LstmStep(request["directory"])
            reply = {"parameters": state["lstm"].parameter_count}
        elif command == "lstm_steps":
            start = time.perf_counter()
            losses = [state["lstm"].step() for _ in range(request["steps"])]
            reply = {"seconds": time.perf_counter() - start, "losses": losses}
        elif command == "sst2_load":
            state["sst2"] = Sst2Epoch(request["file"])
            reply = state["sst2"].load()
        elif command == "sst2_epoch":
            reply = state["sst2"].epoch()
        elif command == "sst2_predict_load":
            state["sst2_predict"] = Sst2Predict(request)
            reply = {"parameters": sum(p.numel() for p in state["sst2_predict"].model.parameters())}
        elif command == "sst2_predict":
            reply = state["sst2_predict"].run()
        elif command.startswith("ewt_"):
            import ewt_tagger  # noqa: PLC0415 - loaded only when the ewt-tagger benchmark runs

            reply = ewt_tagger.handle(command, request, state)
        elif command.startswith("ctc_"):
            import ctc_recognizer  # noqa: PLC0415 - loaded only when the ctc benchmark runs

            reply = ctc_recognizer.handle(command, request, state, load_tensors)
        elif command.startswith("caption_"):
            import captioning  # noqa: PLC0415 - loaded only when the captioning benchmark runs

            reply = captioning.handle(command, request, state)
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
