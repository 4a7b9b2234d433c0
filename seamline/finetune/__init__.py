"""Fine-tuning the drafter: training data cleaned by the critic, LoRA training, base-vs-tuned evaluation."""

from seamline.finetune.train import FinetuneResult, TrainConfig, finetune

__all__ = ["FinetuneResult", "TrainConfig", "finetune"]
