<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>ActionConfirmation</name>
    <message>
        <location filename="../../ui/console/confirm.py" line="27"/>
        <source>Cancel order {0}?</source>
        <translation>Отменить заказ {0}?</translation>
    </message>
    <message>
        <location filename="../../ui/console/confirm.py" line="28"/>
        <source>Void order {0}?</source>
        <translation>Аннулировать заказ {0}?</translation>
    </message>
    <message>
        <location filename="../../ui/console/confirm.py" line="29"/>
        <source>Record payment for order {0}?</source>
        <translation>Принять оплату заказа {0}?</translation>
    </message>
    <message>
        <location filename="../../ui/console/confirm.py" line="30"/>
        <source>Complete order {0}?</source>
        <translation>Завершить заказ {0}?</translation>
    </message>
    <message>
        <location filename="../../ui/console/confirm.py" line="37"/>
        <source>Cancel the order</source>
        <translation>Отменить заказ</translation>
    </message>
    <message>
        <location filename="../../ui/console/confirm.py" line="38"/>
        <source>Void the order</source>
        <translation>Аннулировать заказ</translation>
    </message>
    <message>
        <location filename="../../ui/console/confirm.py" line="39"/>
        <source>Paid</source>
        <translation>Оплата получена</translation>
    </message>
    <message>
        <location filename="../../ui/console/confirm.py" line="40"/>
        <source>Complete</source>
        <translation>Завершить</translation>
    </message>
    <message>
        <location filename="../../ui/console/confirm.py" line="53"/>
        <source>Guest: {0}</source>
        <translation>Гость: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/console/confirm.py" line="54"/>
        <source>Amount: {0}</source>
        <translation>Сумма: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/console/confirm.py" line="58"/>
        <source>To pay now: {0}, {1}</source>
        <translation>К оплате сейчас: {0}, {1}</translation>
    </message>
    <message>
        <location filename="../../ui/console/confirm.py" line="61"/>
        <source>Not paid: {0} becomes the guest&apos;s debt.</source>
        <translation>Не оплачено: {0} станет долгом гостя.</translation>
    </message>
    <message>
        <location filename="../../ui/console/confirm.py" line="64"/>
        <source>What was paid is given back.</source>
        <translation>Оплаченное будет возвращено.</translation>
    </message>
    <message>
        <location filename="../../ui/console/confirm.py" line="66"/>
        <source>The guest is told the order is rejected.</source>
        <translation>Гость увидит, что заказ отклонён.</translation>
    </message>
    <message>
        <location filename="../../ui/console/confirm.py" line="91"/>
        <source>Back</source>
        <translation>Назад</translation>
    </message>
    <message>
        <location filename="../../ui/console/confirm.py" line="113"/>
        <source>Another console got there first: order {0} is now {1}. Nothing was applied twice.</source>
        <translation>Другая консоль успела раньше: заказ {0} уже {1}. Ничего не применено дважды.</translation>
    </message>
    <message>
        <location filename="../../ui/console/confirm.py" line="118"/>
        <source>{0} got there first: order {1} is now {2}. Nothing was applied twice.</source>
        <translation>Раньше успели на «{0}»: заказ {1} уже {2}. Ничего не применено дважды.</translation>
    </message>
</context>
<context>
    <name>ConsoleOrders</name>
    <message>
        <location filename="../../ui/console/orders_model.py" line="44"/>
        <source>{0} pts</source>
        <translation>{0} б.</translation>
    </message>
    <message>
        <location filename="../../ui/console/orders_model.py" line="55"/>
        <source>New</source>
        <translation>Новый</translation>
    </message>
    <message>
        <location filename="../../ui/console/orders_model.py" line="56"/>
        <source>Accepted</source>
        <translation>Принят</translation>
    </message>
    <message>
        <location filename="../../ui/console/orders_model.py" line="57"/>
        <source>Paid</source>
        <translation>Оплачен</translation>
    </message>
    <message>
        <location filename="../../ui/console/orders_model.py" line="58"/>
        <source>Completed</source>
        <translation>Выполнен</translation>
    </message>
    <message>
        <location filename="../../ui/console/orders_model.py" line="59"/>
        <source>Cancelled</source>
        <translation>Отменён</translation>
    </message>
    <message>
        <location filename="../../ui/console/orders_model.py" line="60"/>
        <source>Voided</source>
        <translation>Аннулирован</translation>
    </message>
    <message>
        <location filename="../../ui/console/orders_model.py" line="66"/>
        <source>Cash</source>
        <translation>Наличные</translation>
    </message>
    <message>
        <location filename="../../ui/console/orders_model.py" line="67"/>
        <source>Card</source>
        <translation>Карта</translation>
    </message>
    <message>
        <location filename="../../ui/console/orders_model.py" line="68"/>
        <source>Balance</source>
        <translation>Депозит</translation>
    </message>
    <message>
        <location filename="../../ui/console/orders_model.py" line="69"/>
        <source>Points</source>
        <translation>Баллы</translation>
    </message>
    <message>
        <location filename="../../ui/console/orders_model.py" line="89"/>
        <source>No.</source>
        <translation>№</translation>
    </message>
    <message>
        <location filename="../../ui/console/orders_model.py" line="90"/>
        <source>Placed</source>
        <translation>Создан</translation>
    </message>
    <message>
        <location filename="../../ui/console/orders_model.py" line="91"/>
        <source>Guest</source>
        <translation>Гость</translation>
    </message>
    <message>
        <location filename="../../ui/console/orders_model.py" line="92"/>
        <source>Items</source>
        <translation>Состав</translation>
    </message>
    <message>
        <location filename="../../ui/console/orders_model.py" line="93"/>
        <source>Total</source>
        <translation>Сумма</translation>
    </message>
    <message>
        <location filename="../../ui/console/orders_model.py" line="94"/>
        <source>Ready by</source>
        <translation>Готов к</translation>
    </message>
    <message>
        <location filename="../../ui/console/orders_model.py" line="95"/>
        <source>Payment</source>
        <translation>Оплата</translation>
    </message>
    <message>
        <location filename="../../ui/console/orders_model.py" line="96"/>
        <source>State</source>
        <translation>Статус</translation>
    </message>
</context>
<context>
    <name>ConsoleWindow</name>
    <message>
        <location filename="../../ui/console/window.py" line="67"/>
        <source>Operator console</source>
        <translation>Консоль оператора</translation>
    </message>
    <message>
        <location filename="../../ui/console/window.py" line="99"/>
        <source>Incoming</source>
        <translation>Входящие</translation>
    </message>
    <message>
        <location filename="../../ui/console/window.py" line="100"/>
        <source>History</source>
        <translation>История</translation>
    </message>
    <message>
        <location filename="../../ui/console/window.py" line="195"/>
        <source>Online</source>
        <translation>В сети</translation>
    </message>
    <message>
        <location filename="../../ui/console/window.py" line="196"/>
        <source>Offline since {0}</source>
        <translation>Нет связи с {0}</translation>
    </message>
    <message>
        <location filename="../../ui/console/window.py" line="259"/>
        <source>Payment is taken at the till: the sale screen shows the order.</source>
        <translation>Оплата принимается на кассе: заказ открыт на экране продажи.</translation>
    </message>
    <message>
        <location filename="../../ui/console/window.py" line="263"/>
        <source>Sending…</source>
        <translation>Отправка…</translation>
    </message>
    <message>
        <location filename="../../ui/console/window.py" line="280"/>
        <source>Saved on this console; it will be sent when the server is reachable.</source>
        <translation>Сохранено на этой консоли; будет отправлено, когда сервер станет доступен.</translation>
    </message>
    <message>
        <location filename="../../ui/console/window.py" line="285"/>
        <source>The server refused: {0}</source>
        <translation>Сервер отказал: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/console/window.py" line="303"/>
        <source>Offline: this action needs the server&apos;s answer. Try again when the console is back online.</source>
        <translation>Нет связи: для этого действия нужен ответ сервера. Повторите, когда связь восстановится.</translation>
    </message>
    <message>
        <location filename="../../ui/console/window.py" line="313"/>
        <source>Not possible any more: the order is {0}.</source>
        <translation>Уже невозможно: заказ {0}.</translation>
    </message>
    <message>
        <location filename="../../ui/console/window.py" line="317"/>
        <source>Something went wrong: {0}</source>
        <translation>Что-то пошло не так: {0}</translation>
    </message>
</context>
<context>
    <name>HistoryPanel</name>
    <message>
        <location filename="../../ui/console/history.py" line="43"/>
        <source>All states</source>
        <translation>Все статусы</translation>
    </message>
    <message>
        <location filename="../../ui/console/history.py" line="51"/>
        <source>Search by guest name, phone or id</source>
        <translation>Поиск по имени, телефону или id гостя</translation>
    </message>
    <message>
        <location filename="../../ui/console/history.py" line="56"/>
        <source>State</source>
        <translation>Статус</translation>
    </message>
    <message>
        <location filename="../../ui/console/history.py" line="56"/>
        <source>From</source>
        <translation>С</translation>
    </message>
    <message>
        <location filename="../../ui/console/history.py" line="57"/>
        <source>To</source>
        <translation>По</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/console/history.py" line="120"/>
        <source>%n order(s)</source>
        <translation>
            <numerusform>%n заказ</numerusform>
            <numerusform>%n заказа</numerusform>
            <numerusform>%n заказов</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>IncomingPanel</name>
    <message>
        <location filename="../../ui/console/panel.py" line="55"/>
        <source>Incoming orders</source>
        <translation>Входящие заказы</translation>
    </message>
    <message>
        <location filename="../../ui/console/panel.py" line="60"/>
        <source>Orders waiting to be accepted</source>
        <translation>Заказы, ожидающие принятия</translation>
    </message>
    <message>
        <location filename="../../ui/console/panel.py" line="61"/>
        <source>Sound</source>
        <translation>Звук</translation>
    </message>
    <message>
        <location filename="../../ui/console/panel.py" line="66"/>
        <source>Alert once</source>
        <translation>Сигнал один раз</translation>
    </message>
    <message>
        <location filename="../../ui/console/panel.py" line="68"/>
        <source>Repeat every {0} s</source>
        <translation>Повторять каждые {0} с</translation>
    </message>
    <message>
        <location filename="../../ui/console/panel.py" line="69"/>
        <source>Acknowledge</source>
        <translation>Принято к сведению</translation>
    </message>
    <message>
        <location filename="../../ui/console/panel.py" line="112"/>
        <source>Sound on</source>
        <translation>Звук вкл.</translation>
    </message>
    <message>
        <location filename="../../ui/console/panel.py" line="112"/>
        <source>Sound off</source>
        <translation>Звук выкл.</translation>
    </message>
</context>
<context>
    <name>OrderDetail</name>
    <message>
        <location filename="../../ui/console/detail.py" line="54"/>
        <location filename="../../ui/console/detail.py" line="190"/>
        <source>Select an order</source>
        <translation>Выберите заказ</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="73"/>
        <source>Guest</source>
        <translation>Гость</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="73"/>
        <source>Points balance</source>
        <translation>Баланс баллов</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="74"/>
        <source>Balance account</source>
        <translation>Денежный счёт</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="206"/>
        <source>{0} owed</source>
        <translation>долг {0}</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="75"/>
        <source>Placed</source>
        <translation>Создан</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="75"/>
        <source>Ready by</source>
        <translation>Готов к</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="76"/>
        <source>Payment intent</source>
        <translation>Способ оплаты</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="76"/>
        <source>Note</source>
        <translation>Комментарий</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="77"/>
        <source>Paid</source>
        <translation>Оплачен</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="77"/>
        <source>Debt</source>
        <translation>Долг</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="100"/>
        <source>Item</source>
        <translation>Позиция</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="100"/>
        <source>Qty</source>
        <translation>Кол-во</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="100"/>
        <source>Amount</source>
        <translation>Сумма</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="100"/>
        <source>Delivered</source>
        <translation>Выдано</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="118"/>
        <source>Accept</source>
        <translation>Принять</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="119"/>
        <source>Cancel order</source>
        <translation>Отменить заказ</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="120"/>
        <source>Deliver item</source>
        <translation>Выдать позицию</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="121"/>
        <source>Pay</source>
        <translation>Оплатить</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="122"/>
        <source>Complete</source>
        <translation>Завершить</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="123"/>
        <source>Void</source>
        <translation>Аннулировать</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="140"/>
        <source>Method</source>
        <translation>Способ</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="197"/>
        <source>Order {0}</source>
        <translation>Заказ {0}</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="215"/>
        <source>{0} available ({1} held)</source>
        <translation>доступно {0} (в холде {1})</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="207"/>
        <location filename="../../ui/console/detail.py" line="217"/>
        <source>not known on this console</source>
        <translation>неизвестен на этой консоли</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="227"/>
        <source>, {0} in points held</source>
        <translation>, {0} баллами в холде</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="231"/>
        <source>{0} of {1}</source>
        <translation>{0} из {1}</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="233"/>
        <source> (group discount {0})</source>
        <translation> (скидка группы {0})</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="235"/>
        <source>, {0} earned</source>
        <translation>, начислено {0}</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="243"/>
        <source> (points)</source>
        <translation> (баллы)</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="280"/>
        <source>Needs the server: the console is offline.</source>
        <translation>Нужен сервер: консоль не в сети.</translation>
    </message>
</context>
</TS>
