"""`papergraph eval`: score extraction against gold files, or cross-validate the learned scorer."""

from __future__ import annotations

import click

from .cli import extraction_options

__all__ = ["eval_"]


@click.command("eval")
@click.option("--gold", required=True, multiple=True, type=click.Path(dir_okay=False),
              help="Gold JSON Lines (id, title, abstract, concepts; see shared/gold/GUIDELINES.md); "
                   "repeat to read several files together.")
@click.option("--folds", type=click.Path(dir_okay=False), default=None,
              help="Cross-validate the learned scorer with this fold file (JSON 'fold_of': paper id -> fold): "
                   "each fold is predicted by weights trained on the other folds.")
@click.option("--ablation", type=click.Choice(["combined", "rules", "model"]), default="combined", show_default=True,
              help="With --folds: the rules with the trained scorer, the rules alone, or the scorer over the "
                   "parse's candidates without the rules'.")
@click.option("--train-config", type=click.Path(dir_okay=False), default=None,
              help="With --folds: TOML training settings (training/scorer.toml) [default: the shipped weights'].")
@click.option("--write-predictions", type=click.Path(dir_okay=False), default=None,
              help="With --folds: also write the held-out predictions (JSON Lines) to this file.")
@click.option("--show-errors", type=click.IntRange(0), default=0, show_default=True, metavar="N",
              help="List up to N missed and N spurious concepts.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@extraction_options
@click.option("--corpus-vote/--no-corpus-vote", default=True, show_default=True,
              help="Decide each concept's type by voting over all papers given.")
def eval_(gold, folds, ablation, train_config, write_predictions, show_errors, as_json, model, jobs, batch_size,
          vocab, skip_bad, min_confidence, corpus_vote):
    """Extract concepts from the papers of GOLD files and score them against them.

    Prints the figures of shared/tools/score.py: P/R/F1 untyped, typed and per type,
    recall of proposed concepts and role agreement. With --folds, the figures are those of
    cross-validation (held-out folds, concatenated), then each figure's mean and spread over folds.

    Example:

    \b
        papergraph eval --gold ../shared/gold/dev.jsonl --show-errors 20
        papergraph eval --gold ../shared/gold/dev.jsonl --gold ../shared/gold/train.jsonl \\
            --folds ../shared/gold/folds.json
    """
    import json

    from .evaluate import cross_validate, evaluate, format_report

    if folds is None:
        if len(gold) > 1 or ablation != "combined" or train_config or write_predictions:
            raise click.UsageError("several --gold files, --ablation, --train-config and --write-predictions "
                                   "go with --folds")
        res = evaluate(gold[0], show_errors=show_errors, model=model, jobs=jobs, batch_size=batch_size, vocab=vocab,
                       skip_bad=skip_bad, min_confidence=min_confidence, corpus_vote=corpus_vote)
        click.echo(json.dumps(res, indent=2, ensure_ascii=False) if as_json else format_report(res))
        return
    res, per_fold = cross_validate(gold, folds, config=train_config, model=model, vocab=vocab, corpus_vote=corpus_vote,
                                   mode=ablation, show_errors=show_errors, pred_out=write_predictions)
    click.echo(json.dumps({**res, "per_fold": per_fold}, indent=2, ensure_ascii=False) if as_json
               else format_report(res) + "\n" + per_fold)
