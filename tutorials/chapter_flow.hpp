// The trained flow that chapters 5 to 9 build on: the checkpoint chapter 4 writes.
//
// A chapter looks for it beside its own output folder (out/ch04/flow.ckpt when the chapter
// writes to out/ch05). When it is missing, or was trained in the other mode (a quick
// checkpoint in a full run, or the reverse), the chapter trains its own copy under its
// folder and says so, so every chapter also runs alone.
#pragma once

#include <filesystem>
#include <iostream>
#include <memory>

#include "base/progress.hpp"
#include "chapter.hpp"
#include "flow/trainer.hpp"
#include "nn/checkpoint.hpp"

namespace minflow::tutorial {

// Chapter 4's recipe (docs/design.md#flow-matching-training): 10,000 Adam steps at batch 2048;
// quick mode is small.
inline flow::TrainSettings tutorial_flow_settings(bool quick) {
  flow::TrainSettings s;
  s.steps = quick ? 300 : 10000;
  s.batch = quick ? 256 : 2048;
  return s;
}

// True when the checkpoint at `folder` is a complete flow trained with `settings`.
inline bool checkpoint_matches(const std::filesystem::path& folder,
                               const flow::TrainSettings& settings) {
  try {
    const nn::Config config = nn::read_checkpoint_config(folder);
    return config.get_string("kind") == settings.kind &&
           config.get_size("steps_total") == settings.steps &&
           config.get_size("steps_done") == settings.steps &&
           config.get_size("batch") == settings.batch;
  } catch (const std::exception&) {
    return false;
  }
}

// Trains a flow with `settings`, with a progress bar, and saves it at `folder`.
inline std::shared_ptr<nn::MLP> train_flow(const flow::TrainSettings& settings,
                                           const std::filesystem::path& folder) {
  flow::TrainState state = flow::new_train_state(settings);
  Progress progress("train", settings.steps);
  flow::TrainHooks hooks;
  hooks.progress = &progress;
  flow::train(state, settings, flow::independent_pairs(settings.data), hooks);
  flow::save_train_state(folder, state, settings);
  return state.net;
}

// Chapter 4's flow for this mode: loaded from DIR/../ch04/flow.ckpt when it matches,
// otherwise trained here (DIR/flow.ckpt, reused on the next run).
inline std::shared_ptr<nn::MLP> chapter4_flow(const ChapterArgs& args) {
  const flow::TrainSettings settings = tutorial_flow_settings(args.quick);
  for (const auto& folder :
       {args.out.parent_path() / "ch04" / "flow.ckpt", args.out / "flow.ckpt"}) {
    if (checkpoint_matches(folder, settings)) {
      std::cout << "using the trained flow " << folder.string() << "\n";
      return nn::load_mlp_checkpoint(folder).model;
    }
  }
  std::cout << "no matching chapter-4 checkpoint found; training one (" << settings.steps
            << " steps) into " << (args.out / "flow.ckpt").string() << "\n";
  return train_flow(settings, args.out / "flow.ckpt");
}

}  // namespace minflow::tutorial
