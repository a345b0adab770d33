"""PyTorch side of the ewt-tagger benchmark: the POS tagger of samples/PosTagging, written with torch.nn.

Same architecture and hyper-parameters as Microsoft.ML.Sequence's RecurrentSequenceTagger (word embedding + character
BiLSTM final states -> dropout -> 2-layer BiLSTM with dropout between layers -> dropout -> linear -> cross-entropy
ignoring padding; Adam, global-norm clipping), fed the batches the C# side exported (our vocabularies, our
length-bucketed batch composition), packed the same way (only real words through the character LSTM; packed,
unsorted-lengths sentence LSTM).
"""
import json
import time

import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


class Tagger(torch.nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.words = torch.nn.Embedding(cfg["words"], cfg["word_size"], padding_idx=0)
        self.characters = torch.nn.Embedding(cfg["characters"], cfg["character_size"], padding_idx=0)
        self.character_lstm = torch.nn.LSTM(cfg["character_size"], cfg["character_hidden"], batch_first=True,
                                            bidirectional=True)
        self.dropout = torch.nn.Dropout(cfg["dropout"])
        inputs = cfg["word_size"] + 2 * cfg["character_hidden"]
        self.lstm = torch.nn.LSTM(inputs, cfg["hidden"], num_layers=cfg["layers"], batch_first=True,
                                  bidirectional=True, dropout=cfg["dropout"] if cfg["layers"] > 1 else 0.0)
        self.output = torch.nn.Linear(2 * cfg["hidden"], cfg["tags"])

    def forward(self, words, characters, character_lengths, lengths):
        batch, steps = words.shape
        flat_lengths = character_lengths.reshape(-1)
        present = (flat_lengths > 0).nonzero().squeeze(1)
        embedded = self.characters(characters.reshape(batch * steps, -1).index_select(0, present))
        packed = pack_padded_sequence(embedded, flat_lengths.index_select(0, present), batch_first=True,
                                      enforce_sorted=False)
        _, (hidden, _) = self.character_lstm(packed)
        encoded = torch.cat([hidden[0], hidden[1]], 1)
        character_words = torch.zeros(batch * steps, encoded.shape[1]).index_add(0, present, encoded)
        x = torch.cat([self.words(words), character_words.view(batch, steps, -1)], 2)
        packed = pack_padded_sequence(self.dropout(x), lengths, batch_first=True, enforce_sorted=False)
        output, _ = self.lstm(packed)
        output, _ = pad_packed_sequence(output, batch_first=True, total_length=steps)
        return self.output(self.dropout(output))


def pad(batch):
    """Encoded sentences -> padded tensors, the layout of TaggerBatchTensors.Create."""
    steps = max(len(s["w"]) for s in batch)
    width = max(1, max(len(c) for s in batch for c in s["c"]))
    words = torch.zeros(len(batch), steps, dtype=torch.long)
    targets = torch.full((len(batch), steps), -100, dtype=torch.long)
    characters = torch.zeros(len(batch), steps, width, dtype=torch.long)
    character_lengths = torch.zeros(len(batch), steps, dtype=torch.long)
    for row, sentence in enumerate(batch):
        n = len(sentence["w"])
        words[row, :n] = torch.tensor(sentence["w"])
        targets[row, :n] = torch.tensor(sentence["t"])
        for t, chars in enumerate(sentence["c"]):
            characters[row, t, :len(chars)] = torch.tensor(chars)
            character_lengths[row, t] = len(chars)
    lengths = torch.tensor([len(s["w"]) for s in batch], dtype=torch.long)
    return words, characters, character_lengths, lengths, targets


class EwtTagger:
    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            document = json.load(f)
        self.cfg = document["config"]
        self.batches = document["batches"]
        torch.manual_seed(1)
        self.model = Tagger(self.cfg)
        self.model.train()
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=self.cfg["learning_rate"])
        self.parameter_count = sum(p.numel() for p in self.model.parameters() if p.requires_grad)
        self.prebuilt = [pad(b) for b in self.batches]

    def step(self, tensors):
        words, characters, character_lengths, lengths, targets = tensors
        self.optimizer.zero_grad(set_to_none=True)
        scores = self.model(words, characters, character_lengths, lengths)
        loss = torch.nn.functional.cross_entropy(scores.reshape(-1, scores.shape[-1]), targets.reshape(-1),
                                                 ignore_index=-100)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.model.parameters(), self.cfg["clip"])
        self.optimizer.step()
        return loss.item()

    def run(self):
        start = time.perf_counter()
        for batch in self.batches:
            self.step(pad(batch))
        end_to_end = time.perf_counter() - start
        start = time.perf_counter()
        for tensors in self.prebuilt:
            self.step(tensors)
        return {"end_to_end": end_to_end, "model_only": time.perf_counter() - start}


def handle(command, request, state):
    if command == "ewt_load":
        state["ewt"] = EwtTagger(request["path"])
        return {"parameters": state["ewt"].parameter_count}
    if command == "ewt_run":
        return state["ewt"].run()
    return {"error": f"unknown command {command}"}
