"""Reads one tensor of a Microsoft.ML.Sequence model zip (ML.NET's model.zip; our transformer's Weights.safetensors entry)
with nothing but json, struct, zipfile and torch.frombuffer.
Usage: /usr/bin/python3 read_safetensors.py MODEL.zip TENSOR_NAME  -> one JSON line {shape, dtype, values}."""
import json, struct, sys, zipfile
import torch

DTYPES = {"F32": torch.float32, "F64": torch.float64, "I64": torch.int64, "I32": torch.int32, "U8": torch.uint8, "BOOL": torch.bool}

def read_safetensors(data):
    (header_length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + header_length].decode("utf-8"))
    header.pop("__metadata__", None)
    buffer = data[8 + header_length:]
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        dtype = DTYPES[info["dtype"]]
        flat = torch.frombuffer(bytearray(buffer[begin:end]), dtype=dtype) if end > begin else torch.empty(0, dtype=dtype)
        tensors[name] = flat.reshape(info["shape"])
    return tensors

if __name__ == "__main__":
    with zipfile.ZipFile(sys.argv[1]) as archive:
        entry = next(n for n in archive.namelist() if n.endswith("Weights.safetensors"))
        tensor = read_safetensors(archive.read(entry))[sys.argv[2]]
    print(json.dumps({"shape": list(tensor.shape), "dtype": str(tensor.dtype), "values": tensor.flatten().double().tolist()}))
