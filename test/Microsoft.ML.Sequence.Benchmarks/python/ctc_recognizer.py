"""PyTorch side of the ctc benchmark: the CRNN of samples/TextLineRecognition, written with torch.nn.

Same modules, names, initial weights and batches as Microsoft.ML.Sequence's CtcRecognizerNetwork (conv 3x3 without bias
-> batch norm -> ReLU -> max pool blocks, height folded into features per column, dropout, 2-layer BiLSTM packed by the
real frame counts with dropout between layers, dropout, linear), then log-softmax, CTC loss (blank 0, zero_infinity,
each row divided by its label length, mean), Adam and global-norm clipping.
"""
import time

import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


class Frontend(torch.nn.Module):
    def __init__(self, blocks):
        super().__init__()
        channels = 1
        self.pools = []
        for i, (out, height_pool, time_pool) in enumerate(blocks):
            setattr(self, f"conv{i}", torch.nn.Conv2d(channels, out, 3, padding=1, bias=False))
            setattr(self, f"norm{i}", torch.nn.BatchNorm2d(out))
            self.pools.append((height_pool, time_pool))
            channels = out
        self.channels = channels

    def forward(self, x):
        for i, pool in enumerate(self.pools):
            x = torch.relu(getattr(self, f"norm{i}")(getattr(self, f"conv{i}")(x)))
            if pool != (1, 1):
                x = torch.nn.functional.max_pool2d(x, pool, pool)
        return x


class Recognizer(torch.nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.frontend = Frontend(cfg["blocks"])
        reduction = 1
        self.stride = 1
        for _, height_pool, time_pool in cfg["blocks"]:
            reduction *= height_pool
            self.stride *= time_pool
        features = self.frontend.channels * (cfg["height"] // reduction)
        self.encoder = torch.nn.LSTM(features, cfg["hidden"], num_layers=cfg["layers"], batch_first=True,
                                     bidirectional=True, dropout=cfg["dropout"] if cfg["layers"] > 1 else 0.0)
        self.head = torch.nn.Linear(2 * cfg["hidden"], cfg["classes"])
        self.dropout = torch.nn.Dropout(cfg["dropout"])

    def forward(self, x, frames):
        maps = self.frontend(x)
        columns = maps.permute(0, 3, 1, 2).flatten(2)
        packed = pack_padded_sequence(self.dropout(columns), frames, batch_first=True, enforce_sorted=False)
        states, _ = self.encoder(packed)
        states, _ = pad_packed_sequence(states, batch_first=True, total_length=columns.shape[1])
        return self.head(self.dropout(states))


class CtcBenchmark:
    def __init__(self, directory, load_tensors):
        manifest, tensors = load_tensors(directory)
        self.cfg = manifest["config"]
        self.model = Recognizer(self.cfg)
        state = {k: v for k, v in tensors.items() if k.startswith(("frontend.", "encoder.", "head."))}
        self.model.load_state_dict(state, strict=True)
        self.model.train()
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=self.cfg["learning_rate"])
        self.parameter_count = sum(p.numel() for p in self.model.parameters())
        self.batches = []
        for b in range(self.cfg["batches"]):
            widths = tensors[f"len{b}"]
            frames = widths // self.model.stride
            self.batches.append((tensors[f"x{b}"], frames, tensors[f"tgt{b}"], tensors[f"tlen{b}"]))

    def run(self):
        start = time.perf_counter()
        for x, frames, targets, target_lengths in self.batches:
            self.optimizer.zero_grad(set_to_none=True)
            log_probs = self.model(x, frames).log_softmax(-1)
            losses = torch.nn.functional.ctc_loss(log_probs.transpose(0, 1), targets, frames, target_lengths, blank=0,
                                                  reduction="none", zero_infinity=True)
            loss = (losses / target_lengths.clamp_min(1).to(losses.dtype)).mean()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(self.model.parameters(), self.cfg["clip"])
            self.optimizer.step()
            loss.item()
        return {"seconds": time.perf_counter() - start}


def handle(command, request, state, load_tensors):
    if command == "ctc_load":
        state["ctc"] = CtcBenchmark(request["directory"], load_tensors)
        return {"parameters": state["ctc"].parameter_count}
    if command == "ctc_run":
        return state["ctc"].run()
    return {"error": f"unknown command {command}"}
