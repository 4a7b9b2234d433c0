"""Fine-tuning the drafter: training data cleaned by the critic, LoRA training, base-vs-tuned evaluation."""

from seamline.finetune.train import FinetuneResult, finetune

__all__ = ["FinetuneResult", "finetune"]
