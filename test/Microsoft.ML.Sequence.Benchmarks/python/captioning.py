"""The captioner of the C# benchmark (CaptioningBenchmark.cs) in PyTorch: the same modules, names and step."""
import time

import torch

from worker import load_tensors


class Stack(torch.nn.Module):
    """ConvolutionBlockStack (2-D): conv{i} (3x3, no bias) -> norm{i} -> ReLU -> 2x2 max pool."""

    def __init__(self, channels):
        super().__init__()
        inputs = 3
        for i, outputs in enumerate(channels):
            setattr(self, f"conv{i}", torch.nn.Conv2d(inputs, outputs, 3, padding=1, bias=False))
            setattr(self, f"norm{i}", torch.nn.BatchNorm2d(outputs))
            inputs = outputs
        self.count = len(channels)

    def forward(self, x):
        for i in range(self.count):
            x = torch.nn.functional.max_pool2d(torch.relu(getattr(self, f"norm{i}")(getattr(self, f"conv{i}")(x))), 2)
        return x


class Encoder(torch.nn.Module):
    def __init__(self, channels, size):
        super().__init__()
        self.stack = Stack(channels)
        grid = size >> len(channels)
        self.position = torch.nn.Parameter(torch.zeros(grid * grid, channels[-1]))

    def forward(self, images):
        return self.stack(images).flatten(2).transpose(1, 2) + self.position


class Attention(torch.nn.Module):
    def __init__(self, query, key, size):
        super().__init__()
        self.query_projection = torch.nn.Linear(query, size, bias=False)
        self.key_projection = torch.nn.Linear(key, size)
        self.v = torch.nn.Parameter(torch.zeros(size))


class Captioner(torch.nn.Module):
    def __init__(self, cfg, size):
        super().__init__()
        d, h, e, v = cfg["channels"][-1], cfg["hidden"], cfg["embedding"], cfg["vocabulary"]
        self.encoder = Encoder(cfg["channels"], size)
        self.embedding = torch.nn.Embedding(v, e, padding_idx=0)
        self.init_h = torch.nn.Linear(d, h)
        self.init_c = torch.nn.Linear(d, h)
        self.attention = Attention(h, d, cfg["attention"])
        self.gate = torch.nn.Linear(h, d)
        self.decoder = torch.nn.LSTMCell(e + d, h)
        self.output = torch.nn.Linear(h + d, v)

    def loss(self, images, image_of_row, inputs, targets):
        regions = self.encoder(images).index_select(0, image_of_row)
        keys = self.attention.key_projection(regions)
        mean = regions.mean(1)
        h, c = torch.tanh(self.init_h(mean)), torch.tanh(self.init_c(mean))
        logits = []
        for t in range(inputs.shape[1]):
            scores = torch.tanh(self.attention.query_projection(h).unsqueeze(1) + keys).matmul(self.attention.v)
            weights = scores.softmax(-1)
            context = torch.sigmoid(self.gate(h)) * torch.bmm(weights.unsqueeze(1), regions).squeeze(1)
            h, c = self.decoder(torch.cat([self.embedding(inputs[:, t]), context], 1), (h, c))
            logits.append(self.output(torch.cat([h, context], 1)))
        logits = torch.stack(logits, 1)
        return torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[2]), targets.reshape(-1), ignore_index=0)


class CaptionStep:
    def __init__(self, directory):
        manifest, t = load_tensors(directory)
        cfg = manifest["config"]
        self.images, self.image_of_row = t.pop("images"), t.pop("image_of_row")
        self.inputs, self.targets = t.pop("inputs"), t.pop("targets")
        self.model = Captioner(cfg, self.images.shape[-1])
        self.model.load_state_dict(t, strict=True)
        self.model.train()
        self.clip = cfg["clip"]
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=cfg["learning_rate"])
        self.parameter_count = sum(p.numel() for p in self.model.parameters())

    def step(self):
        self.optimizer.zero_grad(set_to_none=True)
        loss = self.model.loss(self.images, self.image_of_row, self.inputs, self.targets)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.model.parameters(), self.clip)
        self.optimizer.step()
        return loss.item()


def handle(command, request, state):
    if command == "caption_load":
        state["caption"] = CaptionStep(request["directory"])
        return {"parameters": state["caption"].parameter_count}
    if command == "caption_steps":
        start = time.perf_counter()
        losses = [state["caption"].step() for _ in range(request["steps"])]
        return {"seconds": time.perf_counter() - start, "losses": losses}
    return {"error": f"unknown command {command}"}
