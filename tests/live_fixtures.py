"""Invented papers over three listing days, served by ``replay_server.ReplayServer``.

Every model, benchmark and method name here is made up. Day 1 and 2 introduce Wrenlet-7B, the
TideQA benchmark and ripple attention; day 3 brings a new model (Pelican-13B), a new benchmark
(LoomCode), more papers using ripple attention (rising) and new results on TideQA.
``listed`` are the days a daily-papers listing shows the paper (the first is its arXiv date).
"""

DAYS = ("2025-03-03", "2025-03-04", "2025-03-05")


def _p(n, day, title, abstract, cats=("cs.CL",), upvotes=3, also=()):
    return {"id": f"2503.{n:05d}", "date": day, "title": title, "abstract": abstract,
            "authors": [f"Ada Quill{n}", f"Bo Tern{n}"], "categories": list(cats), "upvotes": upvotes,
            "listed": [day, *also]}


PAPERS = [
    _p(101, DAYS[0], "Wrenlet-7B: An Open Language Model for Careful Reasoning",
       "We introduce Wrenlet-7B, an open language model trained with lantern distillation. "
       "We also present TideQA, a new benchmark of 4,000 tide-table questions. "
       "Wrenlet-7B reaches 61.2% accuracy on TideQA.", upvotes=40, also=(DAYS[1],)),
    _p(102, DAYS[0], "Lantern Distillation for Small Language Models",
       "We propose lantern distillation, a method that transfers reasoning traces from a large teacher "
       "to a small student. Students trained with lantern distillation improve accuracy on TideQA by 4.1 points.",
       cats=("cs.LG", "cs.CL"), upvotes=12),
    _p(103, DAYS[0], "Heron-2: Efficient Retrieval for Long Documents",
       "We present Heron-2, a retrieval model for long documents. Heron-2 uses kestrel sampling to select "
       "passages and is evaluated on TideQA, where it reaches 55.0% accuracy.", cats=("cs.IR",), upvotes=5),
    _p(104, DAYS[0], "A Study of Kestrel Sampling in Decoding",
       "We study kestrel sampling, a decoding method for language models, and compare it with greedy decoding "
       "on TideQA and OrbitMath.", upvotes=2),
    _p(201, DAYS[1], "Ripple Attention: Linear-Time Attention with Local Waves",
       "We propose ripple attention, an attention mechanism with linear cost. Models with ripple attention "
       "match standard attention on OrbitMath while using half the memory.", cats=("cs.LG",), upvotes=30),
    _p(202, DAYS[1], "OrbitMath: A Benchmark of Orbital Mechanics Problems",
       "We introduce OrbitMath, a benchmark of 2,500 orbital mechanics word problems. "
       "Wrenlet-7B solves 38.5% of OrbitMath problems.", upvotes=9),
    _p(203, DAYS[1], "Scaling Lantern Distillation to Code",
       "We apply lantern distillation to code generation with Wrenlet-7B as the teacher and report "
       "gains on OrbitMath and TideQA.", upvotes=4),
    _p(204, DAYS[1], "Kestrel Sampling Revisited",
       "We revisit kestrel sampling for language model decoding and show that it reduces repetition. "
       "With kestrel sampling, Heron-2 reaches 57.3% accuracy on TideQA.", upvotes=1),
    _p(301, DAYS[2], "Pelican-13B: Ripple Attention at Scale",
       "We introduce Pelican-13B, a language model built on ripple attention. "
       "Pelican-13B reaches 68.4% accuracy on TideQA and 44.0% accuracy on OrbitMath.", upvotes=55),
    _p(302, DAYS[2], "LoomCode: A Benchmark for Program Repair",
       "We present LoomCode, a new benchmark of 1,200 program repair tasks. We evaluate Pelican-13B and "
       "Wrenlet-7B with ripple attention on LoomCode.", cats=("cs.SE",), upvotes=20),
    _p(303, DAYS[2], "Ripple Attention for Speech",
       "We apply ripple attention to speech recognition and combine it with lantern distillation. "
       "Ripple attention lowers memory use by 40%.", cats=("cs.SD", "cs.CL"), upvotes=7),
    _p(304, DAYS[2], "Sparse Ripple Attention for Retrieval",
       "We use ripple attention in Heron-2 and reach 59.9% accuracy on TideQA, "
       "above kestrel sampling baselines.", cats=("cs.IR",), upvotes=3),
]
