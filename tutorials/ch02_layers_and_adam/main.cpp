// Chapter 2: layers and Adam.
//
// We fit y = sin(x) on [−π, π] with a small MLP (1 → 32 → 32 → 1, GELU), three times from
// the same initial weights: with SGD (momentum 0.9), with Adam at a constant learning rate,
// and with Adam under a cosine schedule. The losses are printed as training goes and
// written to loss.dat (step, SGD, Adam, Adam + cosine) with a gnuplot script, and the
// fitted curves to fit.dat.
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

#include "../chapter.hpp"
#include "autograd/grad_mode.hpp"
#include "autograd/ops.hpp"
#include "base/random.hpp"
#include "nn/adam.hpp"
#include "nn/loss.hpp"
#include "nn/lr_schedule.hpp"
#include "nn/mlp.hpp"
#include "nn/sgd.hpp"

using namespace minflow;

namespace {

constexpr double kPi = 3.14159265358979323846;

struct Settings {
  std::size_t points;  // training points, evenly spaced on [−π, π] (one full batch)
  int steps;           // optimizer steps per optimizer
  int print_every;
};

// The network both optimizers start from: the same seed gives the same weights.
std::shared_ptr<nn::MLP> make_net() {
  Generator init(0, "init");
  return std::make_shared<nn::MLP>(1, 32, 2, 1, nn::Activation::gelu, init);
}

// The training loop every later chapter repeats: forward, loss, zero_grad, backward, step.
// Any optimizer, through the base that SGD, Adam and AdamW share (nn/optimizer.hpp).
// The schedule sets the learning rate before every step.
std::vector<float> train(nn::MLP& net, nn::Optimizer& optimizer, const nn::LrSchedule& schedule,
                         const Tensor& x, const Tensor& y, const Settings& settings,
                         const std::string& name) {
  nn::MSELoss mse;
  std::vector<float> history;
  for (int step = 0; step < settings.steps; ++step) {
    optimizer.set_lr(schedule.lr_at(step));
    Tensor loss = mse(net.forward(x), y);
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    history.push_back(loss.item());
    if (step % settings.print_every == 0 || step + 1 == settings.steps) {
      std::cout << "  " << std::setw(6) << name << " step " << std::setw(5) << step << "  loss "
                << std::scientific << std::setprecision(3) << loss.item() << std::defaultfloat
                << "\n";
    }
  }
  return history;
}

void write_loss_files(const std::filesystem::path& out, const std::vector<float>& sgd,
                      const std::vector<float>& adam, const std::vector<float>& cosine) {
  std::ofstream dat(out / "loss.dat");
  dat << "# step  sgd  adam  adam_cosine  (mean squared error, full batch)\n";
  for (std::size_t i = 0; i < sgd.size(); ++i)
    dat << i << " " << sgd[i] << " " << adam[i] << " " << cosine[i] << "\n";
  std::ofstream gp(out / "loss.gp");
  gp << "# gnuplot loss.gp  →  loss.png and fit.png\n"
        "if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {\n"
        "  set terminal pngcairo size 800,800\n"
        "} else {\n"
        "  set terminal png size 800,800\n"
        "}\n"
        "set output 'loss.png'\n"
        "set logscale y\n"
        "set format y '10^{%L}'\n"
        "set xlabel 'optimizer step'\n"
        "set ylabel 'MSE'\n"
        "set title 'fitting sin(x) with an MLP 1-32-32-1: three optimizers'\n"
        "plot 'loss.dat' using 1:2 with lines title 'SGD, lr 0.01', \\\n"
        "     'loss.dat' using 1:3 with lines title 'Adam, lr 0.01', \\\n"
        "     'loss.dat' using 1:4 with lines title 'Adam, cosine from 0.01'\n"
        "unset output\n"
        // fit.dat: the three nets' curves over sin(x) (they coincide at this scale), and
        // beside them what separates them, the error of each against sin(x).
        "reset\n"
        "if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {\n"
        "  set terminal pngcairo size 1600,800\n"
        "} else {\n"
        "  set terminal png size 1600,800\n"
        "}\n"
        "set output 'fit.png'\n"
        "set multiplot layout 1,2\n"
        "set xrange [-pi:pi]\n"
        "set xlabel 'x'\n"
        "set key top left\n"
        "set title 'the three fits and sin(x)'\n"
        "plot 'fit.dat' using 1:3 with lines lw 2 title 'SGD', \\\n"
        "     'fit.dat' using 1:4 with lines lw 2 title 'Adam', \\\n"
        "     'fit.dat' using 1:5 with lines lw 2 title 'Adam + cosine', \\\n"
        "     'fit.dat' using 1:2 with lines lw 1 dt 2 lc rgb 'black' title 'sin(x)'\n"
        "set title 'the error of each fit: prediction - sin(x)'\n"
        "set ylabel 'prediction - sin(x)'\n"
        "plot 'fit.dat' using 1:($3 - $2) with lines lw 2 title 'SGD', \\\n"
        "     'fit.dat' using 1:($4 - $2) with lines lw 2 title 'Adam', \\\n"
        "     'fit.dat' using 1:($5 - $2) with lines lw 2 title 'Adam + cosine'\n"
        "unset multiplot\n"
        "unset output\n";
}

}  // namespace

int main(int argc, char** argv) {
  const auto args = tutorial::parse_chapter_args(argc, argv, "ch02");
  const Settings settings = args.quick ? Settings{64, 300, 50} : Settings{256, 3000, 250};

  // The data: one batch of evenly spaced points, as [n, 1] columns.
  std::vector<float> xs(settings.points), ys(settings.points);
  for (std::size_t i = 0; i < settings.points; ++i) {
    xs[i] = static_cast<float>(-kPi + 2 * kPi * static_cast<double>(i) / (settings.points - 1));
    ys[i] = std::sin(xs[i]);
  }
  const Tensor x = Tensor::from_vector(xs, {settings.points, 1});
  const Tensor y = Tensor::from_vector(ys, {settings.points, 1});

  auto sgd_net = make_net(), adam_net = make_net(), cosine_net = make_net();
  std::cout << *adam_net << "\n" << adam_net->num_parameters() << " parameters\n\n";

  std::cout << "SGD, lr 0.01, momentum 0.9:\n";
  nn::SGD sgd(sgd_net->parameters(), nn::SGDOptions{0.01, 0.9});
  const auto sgd_loss =
      train(*sgd_net, sgd, nn::LrSchedule::constant(sgd.lr()), x, y, settings, "SGD");

  std::cout << "\nAdam, lr 0.01:\n";
  nn::Adam adam(adam_net->parameters(), nn::AdamOptions{0.01});
  const auto adam_loss =
      train(*adam_net, adam, nn::LrSchedule::constant(adam.lr()), x, y, settings, "Adam");

  std::cout << "\nAdam, lr from 0.01 down to 0 along a cosine (after 50 warm-up steps):\n";
  nn::Adam adam_cosine(cosine_net->parameters(), nn::AdamOptions{0.01});
  const auto cosine = nn::LrSchedule::cosine(0.01, 50, settings.steps);
  const auto cosine_loss = train(*cosine_net, adam_cosine, cosine, x, y, settings, "Adam+c");

  write_loss_files(args.out, sgd_loss, adam_loss, cosine_loss);
  {
    NoGradGuard no_grad;  // evaluation only: no graph
    const Tensor sgd_fit = sgd_net->forward(x), adam_fit = adam_net->forward(x),
                 cosine_fit = cosine_net->forward(x);
    std::ofstream fit(args.out / "fit.dat");
    fit << "# x  sin(x)  sgd  adam  adam_cosine  (predictions)\n";
    for (std::size_t i = 0; i < settings.points; ++i)
      fit << xs[i] << " " << ys[i] << " " << sgd_fit.value()(i, 0) << " " << adam_fit.value()(i, 0)
          << " " << cosine_fit.value()(i, 0) << "\n";
  }
  std::cout << "\nfinal loss: SGD " << sgd_loss.back() << ", Adam " << adam_loss.back()
            << ", Adam + cosine " << cosine_loss.back() << "\n"
            << "wrote " << (args.out / "loss.dat").string() << ", loss.gp and fit.dat\n";

  // Render the figure when gnuplot is installed (the script names its own output).
  const std::string render = "command -v gnuplot >/dev/null 2>&1 && cd '" + args.out.string() +
                             "' && gnuplot loss.gp 2>/dev/null";
  if (std::system(render.c_str()) == 0) {
    std::cout << "wrote " << (args.out / "loss.png").string() << " and fit.png\n";
  }

  for (const auto* run : {&sgd_loss, &adam_loss, &cosine_loss})
    if (!std::isfinite(run->back())) std::cout << "a run diverged: its learning rate is too high\n";
  // The chapter works when the scheduled Adam run learned (CTest checks the exit status).
  return cosine_loss.back() < 0.01f * cosine_loss.front() ? 0 : 1;
}
